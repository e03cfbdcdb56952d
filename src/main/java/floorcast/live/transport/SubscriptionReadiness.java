package floorcast.live.transport;

import floorcast.ops.PekkoCompletion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.ClusterEvent.CurrentClusterState;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness condition of the live gateway: this node's topic subscriptions are known cluster-wide. Typed-Topic
 * subscriptions spread by the receptionist's gossip after a join, so for a few seconds another node's publishes
 * miss this node's subscribers (and this node's publishes miss the others). The check asks the {@link TopicView}
 * of every reachable Up/WeaklyUp member, this node included, in parallel: each must know this node as a member and
 * have every topic (the 64 session topics and the lobby) publishing to one instance per reachable member. Once the
 * condition holds it is cached: the node stays ready (for this check) until it stops; shutdown is reported by
 * the not-shutting-down check.
 */
public final class SubscriptionReadiness {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionReadiness.class);
  private static final Duration STATS_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);

  private final ActorSystem<?> system;
  private final Cluster cluster;
  private final ActorRefResolver resolver;
  private final long createdNanos = System.nanoTime();
  private final AtomicBoolean ready = new AtomicBoolean(false);
  private final AtomicReference<CompletableFuture<Boolean>> inFlight = new AtomicReference<>();
  private final AtomicReference<String> lastShortfall = new AtomicReference<>("");

  SubscriptionReadiness(ActorSystem<?> system, SessionTopics topics) {
    this.system = system;
    this.cluster = Cluster.get(system);
    this.resolver = ActorRefResolver.get(system);
    system.systemActorOf(TopicView.create(topics, STATS_TIMEOUT), TopicView.NAME, Props.empty());
  }

  /** True once every reachable Up member publishes to this node's subscribers and this node to theirs; then stays. */
  public CompletionStage<Boolean> check() {
    if (ready.get()) return CompletableFuture.completedFuture(true);
    CompletableFuture<Boolean> running = inFlight.get();
    if (running != null) return running;
    CompletableFuture<Boolean> round = new CompletableFuture<>();
    if (!inFlight.compareAndSet(null, round)) return inFlight.get();
    ask().whenComplete(
        (shortfall, failure) -> {
          String reason = failure != null ? "no answer: " + failure.getMessage() : shortfall;
          if (reason.isEmpty()) {
            if (!ready.getAndSet(true)) {
              log.info(
                  "pub/sub subscriptions known cluster-wide ({} members) {} ms after the gateway started",
                  cluster.state().members().size(),
                  Duration.ofNanos(System.nanoTime() - createdNanos).toMillis());
            }
          } else if (!reason.equals(lastShortfall.getAndSet(reason))) {
            log.info("not ready yet: pub/sub subscriptions still propagating ({})", reason);
          }
          inFlight.set(null);
          round.complete(reason.isEmpty());
        });
    return round;
  }

  /** Empty string when every asked member reports the condition, else the first shortfall. */
  private CompletionStage<String> ask() {
    Member self = cluster.selfMember();
    if (!isUp(self)) return CompletableFuture.completedFuture("this node is " + self.status() + ", not Up");
    CurrentClusterState state = cluster.state();
    String selfAddress = self.address().toString();
    long selfUid = self.uniqueAddress().longUid();
    List<CompletableFuture<TopicView.Report>> reports = new ArrayList<>();
    for (Member m : state.getMembers()) {
      if (!isUp(m) || state.getUnreachable().contains(m)) continue;
      ActorRef<TopicView.Query> view = resolver.resolveActorRef(m.address() + "/system/" + TopicView.NAME);
      reports.add(
          PekkoCompletion.inline(
              AskPattern.<TopicView.Query, TopicView.Report>ask(
                  view,
                  replyTo -> new TopicView.Query(selfAddress, selfUid, replyTo),
                  QUERY_TIMEOUT,
                  system.scheduler())));
    }
    return CompletableFuture.allOf(reports.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              for (CompletableFuture<TopicView.Report> r : reports) {
                TopicView.Report report = r.join();
                if (!report.propagated()) return report.node() + ": " + report.shortfall();
              }
              return "";
            });
  }

  private static boolean isUp(Member m) {
    return m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp();
  }
}
