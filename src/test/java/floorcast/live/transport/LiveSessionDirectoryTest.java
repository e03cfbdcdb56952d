package floorcast.live.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import floorcast.ops.DatabaseSettings;
import floorcast.session.SessionCommand;
import floorcast.session.SessionSharding;
import floorcast.session.SessionSummary;
import floorcast.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.junit.jupiter.api.Test;

/** The directory's bootstrap from the read side (real PostgreSQL) and the session entities (real sharding). */
class LiveSessionDirectoryTest {
  static final Instant T = Instant.parse("2026-03-01T20:00:00Z");

  /** Stands in for DjSession: answers GetSummary like the entity would for these ids. */
  static SessionSummary entitySummary(String id) {
    switch (id) {
      case "boot-a":
        return new SessionSummary(id, true, "DJ A", T.plusSeconds(120), T, null, null, 5, true, null);
      case "boot-b":
        return new SessionSummary(id, true, "DJ B", T, T, null, null, 0, false, null);
      case "boot-c": // open in the read side, but the entity knows it has ended
        return new SessionSummary(id, false, "DJ C", T, T, null, null, 0, false, T.plusSeconds(5));
      default: // would show up if the bootstrap asked sessions the read side lists as ended
        return new SessionSummary(id, true, "DJ ?", T, T, null, null, 0, false, null);
    }
  }

  @Test
  void bootstrapAsksEveryOpenSessionOfTheReadSideAndRetriesUntilShardingIsUp() throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    DataSource ds = TestDatabase.dataSource(db);
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO sessions (id, dj_name, started_at, ended_at) VALUES "
              + "('boot-a', 'DJ A', now(), NULL), ('boot-b', 'DJ B', now(), NULL), "
              + "('boot-c', 'DJ C', now(), NULL), ('boot-d', 'DJ D', now(), now())");
    }
    ScriptedHandlers handlers = new ScriptedHandlers();
    try (TransportTestNode node = TransportTestNode.start(Map.of(), null, ds, handlers::factory, TestRenderer::render)) {
      // sharding starts after the gateway: the first asks fail and are retried
      ClusterSharding.get(node.system)
          .init(
              Entity.of(
                  SessionSharding.TYPE_KEY,
                  ctx ->
                      Behaviors.receive(SessionCommand.class)
                          .onMessage(
                              SessionCommand.GetSummary.class,
                              m -> {
                                m.replyTo().tell(entitySummary(ctx.getEntityId()));
                                return Behaviors.same();
                              })
                          .build()));
      LiveSessionDirectory directory = node.gateway.directory();
      Await.until("bootstrap done", java.time.Duration.ofSeconds(60), directory::bootstrapped);
      assertEquals(
          List.of("boot-b", "boot-a"),
          directory.liveSessions().stream().map(SessionSummary::sessionId).toList(),
          "live ones only, oldest startedAt first");
      assertEquals(2, directory.count());
      assertEquals(5, directory.get("boot-a").orElseThrow().listenerCount());
      assertTrue(directory.get("boot-c").isEmpty());
      assertTrue(directory.get("boot-d").isEmpty(), "ended in the read side: not asked");
    }
  }

  @Test
  void topicUpdatesWinOverBootstrapAnswersAndEndedSessionsStayEnded() {
    LiveSessionDirectory directory = new LiveSessionDirectory();
    SessionSummary fresh = new SessionSummary("x", true, "DJ X", T, T, null, null, 9, true, null);
    directory.apply(fresh);
    directory.applyBootstrap(new SessionSummary("x", true, "DJ X", T, T, null, null, 1, true, null));
    assertEquals(9, directory.get("x").orElseThrow().listenerCount());
    directory.apply(new SessionSummary("x", false, "DJ X", T, T, null, null, 0, false, T));
    directory.applyBootstrap(fresh);
    directory.apply(fresh);
    assertTrue(directory.get("x").isEmpty());
    assertEquals(0, directory.count());
  }
}
