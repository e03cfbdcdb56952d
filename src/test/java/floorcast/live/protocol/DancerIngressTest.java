package floorcast.live.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import floorcast.session.DancerBatchReply;
import floorcast.session.DancerBatchReply.DancerResult;
import floorcast.session.DancerRequest;
import floorcast.session.SessionCommand;
import floorcast.session.SessionError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node-local dancer batching: one batch in flight per session, the rest queues into the next batch, results
 * routed back per caller in order. The probes stand where the session entities would be.
 */
class DancerIngressTest {
  private static final ActorTestKit kit =
      ActorTestKit.create("DancerIngressTest", ConfigFactory.parseString("pekko.actor.provider = local"));

  private TestProbe<SessionCommand> hot;
  private TestProbe<SessionCommand> quiet;

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void probes() {
    hot = kit.createTestProbe();
    quiet = kit.createTestProbe();
  }

  private DancerIngress ingress(int maxBatch, Duration askTimeout) {
    Map<String, TestProbe<SessionCommand>> entities = Map.of("hot", hot, "quiet", quiet);
    return new DancerIngress(
        new SessionEntities(id -> entities.get(id).ref(), kit.scheduler(), askTimeout), maxBatch, 10_000);
  }

  private static DancerRequest like(String clientId) {
    return new DancerRequest.Reaction(clientId, null);
  }

  private static DancerResult await(CompletionStage<DancerResult> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private SessionCommand.DancerBatch batchOn(TestProbe<SessionCommand> probe) {
    return assertInstanceOf(SessionCommand.DancerBatch.class, probe.receiveMessage(Duration.ofSeconds(10)));
  }

  @Test
  void aRequestToAnIdleSessionGoesOutAloneAtOnce() throws Exception {
    DancerIngress ingress = ingress(500, Duration.ofSeconds(10));
    CompletionStage<DancerResult> result = ingress.submit("hot", like("c1"));
    SessionCommand.DancerBatch batch = batchOn(hot);
    assertEquals(List.of(like("c1")), batch.requests());
    batch.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    assertInstanceOf(DancerBatchReply.Ok.class, await(result));
  }

  @Test
  void requestsArrivingWhileABatchIsInFlightFormTheNextBatchAndGetTheirOwnResults() throws Exception {
    DancerIngress ingress = ingress(500, Duration.ofSeconds(10));
    CompletionStage<DancerResult> first = ingress.submit("hot", like("c1"));
    SessionCommand.DancerBatch firstBatch = batchOn(hot);
    List<CompletionStage<DancerResult>> waiting = new ArrayList<>();
    for (int i = 2; i <= 4; i++) waiting.add(ingress.submit("hot", like("c" + i)));
    hot.expectNoMessage(Duration.ofMillis(300)); // at most one batch in flight per session

    firstBatch.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    assertInstanceOf(DancerBatchReply.Ok.class, await(first));

    SessionCommand.DancerBatch second = batchOn(hot);
    assertEquals(List.of(like("c2"), like("c3"), like("c4")), second.requests(), "arrival order kept");
    second
        .replyTo()
        .tell(
            new DancerBatchReply(
                List.of(
                    DancerBatchReply.rejected(SessionError.ALREADY_LIKED),
                    DancerBatchReply.ok(),
                    DancerBatchReply.rejected(SessionError.RATE_LIMIT_LIKES))));
    assertEquals(SessionError.ALREADY_LIKED, ((DancerBatchReply.Rejected) await(waiting.get(0))).error());
    assertInstanceOf(DancerBatchReply.Ok.class, await(waiting.get(1)));
    assertEquals(SessionError.RATE_LIMIT_LIKES, ((DancerBatchReply.Rejected) await(waiting.get(2))).error());
    // the lane is removed right after the results are handed out
    floorcast.testing.ClusterSystems.await(Duration.ofSeconds(10), () -> ingress.activeSessions() == 0);
  }

  @Test
  void batchesAreCapped() throws Exception {
    DancerIngress ingress = ingress(3, Duration.ofSeconds(10));
    ingress.submit("hot", like("first"));
    SessionCommand.DancerBatch first = batchOn(hot);
    List<CompletionStage<DancerResult>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) waiting.add(ingress.submit("hot", like("c" + i)));
    first.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));

    SessionCommand.DancerBatch second = batchOn(hot);
    assertEquals(3, second.requests().size());
    second.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok(), DancerBatchReply.ok(), DancerBatchReply.ok())));
    SessionCommand.DancerBatch third = batchOn(hot);
    assertEquals(List.of(like("c3"), like("c4")), third.requests());
    third.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok(), DancerBatchReply.ok())));
    for (CompletionStage<DancerResult> r : waiting) assertInstanceOf(DancerBatchReply.Ok.class, await(r));
  }

  @Test
  void sessionsAreIndependent() throws Exception {
    DancerIngress ingress = ingress(500, Duration.ofSeconds(10));
    ingress.submit("hot", like("h1"));
    batchOn(hot); // stays in flight
    CompletionStage<DancerResult> other = ingress.submit("quiet", like("q1"));
    SessionCommand.DancerBatch quietBatch = batchOn(quiet);
    quietBatch.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    assertInstanceOf(DancerBatchReply.Ok.class, await(other));
  }

  @Test
  void aTimedOutBatchFailsItsCallersAndTheNextBatchStillGoesOut() throws Exception {
    DancerIngress ingress = ingress(500, Duration.ofMillis(300));
    CompletionStage<DancerResult> lost = ingress.submit("hot", like("c1"));
    batchOn(hot); // never answered
    CompletionStage<DancerResult> next = ingress.submit("hot", like("c2"));
    ExecutionException failure = assertThrows(ExecutionException.class, () -> await(lost));
    assertTrue(failure.getCause() instanceof java.util.concurrent.TimeoutException, failure.getCause().toString());
    SessionCommand.DancerBatch second = batchOn(hot);
    assertEquals(List.of(like("c2")), second.requests());
    second.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    assertInstanceOf(DancerBatchReply.Ok.class, await(next));
  }

  @Test
  void aBatchLostWithTheOldIncarnationIsSentOnceMoreWhenTheSessionRestarts() throws Exception {
    DancerIngress ingress = ingress(500, Duration.ofSeconds(3));
    CompletionStage<DancerResult> lost = ingress.submit("hot", like("c1"));
    batchOn(hot); // lost with the crashed node: never answered
    long sent = System.nanoTime();
    CompletionStage<DancerResult> waiting = ingress.submit("hot", like("c2"));
    Thread.sleep(1500); // the new incarnation recovers 1.5 s later: its resend times out only at 4.5 s
    ingress.sessionRestarted("hot");
    ingress.sessionRestarted("hot"); // every following connection reports the restart: still one resend
    SessionCommand.DancerBatch again = batchOn(hot);
    assertEquals(List.of(like("c1")), again.requests());
    hot.expectNoMessage(Duration.ofMillis(300));
    // the first attempt times out (at 3 s) meanwhile: it must neither fail the batch nor start the next one
    Thread.sleep(Math.max(0, 3500 - (System.nanoTime() - sent) / 1_000_000));
    again.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    assertInstanceOf(DancerBatchReply.Ok.class, await(lost));
    SessionCommand.DancerBatch second = batchOn(hot);
    assertEquals(List.of(like("c2")), second.requests());
    second.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    assertInstanceOf(DancerBatchReply.Ok.class, await(waiting));
    hot.expectNoMessage(Duration.ofMillis(300));
    floorcast.testing.ClusterSystems.await(Duration.ofSeconds(10), () -> ingress.activeSessions() == 0);
  }

  @Test
  void aRestartWithNothingInFlightSendsNothing() {
    DancerIngress ingress = ingress(500, Duration.ofSeconds(10));
    ingress.sessionRestarted("hot");
    hot.expectNoMessage(Duration.ofMillis(300));
    assertEquals(0, ingress.activeSessions());
  }

  @Test
  void aFullLaneFailsNewRequestsAtOnce() throws Exception {
    Map<String, TestProbe<SessionCommand>> entities = Map.of("hot", hot);
    DancerIngress ingress =
        new DancerIngress(new SessionEntities(id -> entities.get(id).ref(), kit.scheduler(), Duration.ofSeconds(10)), 500, 2);
    ingress.submit("hot", like("in-flight"));
    SessionCommand.DancerBatch first = batchOn(hot);
    CompletionStage<DancerResult> a = ingress.submit("hot", like("a"));
    CompletionStage<DancerResult> b = ingress.submit("hot", like("b"));
    CompletionStage<DancerResult> refused = ingress.submit("hot", like("c"));
    assertThrows(ExecutionException.class, () -> await(refused));
    first.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok())));
    SessionCommand.DancerBatch second = batchOn(hot);
    assertEquals(List.of(like("a"), like("b")), second.requests());
    second.replyTo().tell(new DancerBatchReply(List.of(DancerBatchReply.ok(), DancerBatchReply.ok())));
    assertInstanceOf(DancerBatchReply.Ok.class, await(a));
    assertInstanceOf(DancerBatchReply.Ok.class, await(b));
  }

  @Test
  void aReplyWithTheWrongNumberOfResultsFailsTheCallers() throws Exception {
    DancerIngress ingress = ingress(500, Duration.ofSeconds(10));
    CompletionStage<DancerResult> result = ingress.submit("hot", like("c1"));
    batchOn(hot).replyTo().tell(new DancerBatchReply(List.of()));
    assertThrows(ExecutionException.class, () -> await(result));
  }

  @Test
  void manyConcurrentSubmittersAllGetAnAnswer() throws Exception {
    DancerIngress ingress = ingress(50, Duration.ofSeconds(10));
    int total = 400;
    List<CompletableFuture<DancerResult>> results = new ArrayList<>();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      int base = t * (total / threads.length);
      threads[t] =
          new Thread(
              () -> {
                for (int i = 0; i < total / threads.length; i++) {
                  CompletableFuture<DancerResult> f = ingress.submit("hot", like("c" + (base + i))).toCompletableFuture();
                  synchronized (results) {
                    results.add(f);
                  }
                }
              });
      threads[t].start();
    }
    int answered = 0;
    int batches = 0;
    while (answered < total) {
      SessionCommand.DancerBatch batch = batchOn(hot);
      assertTrue(batch.requests().size() <= 50);
      List<DancerResult> ok = new ArrayList<>();
      for (int i = 0; i < batch.requests().size(); i++) ok.add(DancerBatchReply.ok());
      batch.replyTo().tell(new DancerBatchReply(ok));
      answered += batch.requests().size();
      batches++;
    }
    for (Thread thread : threads) thread.join();
    for (CompletableFuture<DancerResult> f : results) assertInstanceOf(DancerBatchReply.Ok.class, await(f));
    assertEquals(total, answered);
    assertFalse(batches > total);
    hot.expectNoMessage(Duration.ofMillis(200));
  }
}
