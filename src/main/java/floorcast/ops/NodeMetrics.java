package floorcast.ops;

import floorcast.live.LiveMetrics;
import floorcast.session.SessionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/**
 * The node's meters, one Prometheus registry per ActorSystem (tests run several systems per JVM). The gateway and
 * the session entity record through the methods here; {@code GET /metrics} on the management port serves
 * {@link #scrape()}. No per-session or per-client labels (reliability.md §9: thousands of sessions would explode
 * the series count); message types are a bounded set and anything unexpected is counted as {@code other}.
 */
public final class NodeMetrics implements Extension, LiveMetrics, SessionMetrics {
  /** Protocol message types are UPPER_SNAKE words (protocol.md); close codes are numbers. */
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9_]{1,40}");

  /** Upper bound of distinct values per label; the protocol has about 40 message types. */
  private static final int MAX_LABEL_VALUES = 64;

  private static final String OTHER = "other";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger localShards = new AtomicInteger();
  private final AtomicInteger localEntities = new AtomicInteger();
  private final Map<String, Counter> messagesIn = new ConcurrentHashMap<>();
  private final Map<String, Counter> messagesOut = new ConcurrentHashMap<>();
  private final Map<String, Counter> closes = new ConcurrentHashMap<>();
  private final Map<String, Counter> commands = new ConcurrentHashMap<>();
  private final Map<String, Counter> rateLimited = new ConcurrentHashMap<>();
  private final Timer fanoutLatency;
  private final Timer persistLatency;
  private final Timer commandLatency;
  private final Timer recoveryTime;
  private final Counter droppedUpdates;
  private final Counter coalescedUpdates;
  private final Counter slowClientCloses;
  private final Counter journalErrors;
  private final Counter authFailures;

  private NodeMetrics(ExtendedActorSystem system) {
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    system.registerOnTermination(gc::close);

    Gauge.builder("floorcast.ws.connections", connections, AtomicInteger::get)
        .description("Open WebSocket connections on this node")
        .register(registry);
    Gauge.builder("floorcast.sharding.shards", localShards, AtomicInteger::get)
        .description("Shards hosted by this node (all entity types)")
        .register(registry);
    Gauge.builder("floorcast.sharding.entities", localEntities, AtomicInteger::get)
        .description("Running entities (live DJ sessions) hosted by this node")
        .register(registry);
    Cluster cluster = Cluster.get(system);
    Gauge.builder("floorcast.cluster.unreachable", cluster, c -> c.state().getUnreachable().size())
        .description("Members this node sees as unreachable")
        .register(registry);
    for (MemberStatus status :
        new MemberStatus[] {
          MemberStatus.joining(), MemberStatus.weaklyUp(), MemberStatus.up(),
          MemberStatus.leaving(), MemberStatus.exiting(), MemberStatus.down()
        }) {
      Gauge.builder("floorcast.cluster.members", cluster, c -> countMembers(c, status))
          .tag("status", status.toString())
          .description("Cluster members by status, as this node sees them")
          .register(registry);
    }

    fanoutLatency = latencyTimer("floorcast.fanout.latency", "Session message published by its entity → offered to the last recipient's queue on this node", Duration.ofSeconds(30));
    persistLatency = latencyTimer("floorcast.journal.persist.latency", "Command received by the entity → events persisted", Duration.ofSeconds(30));
    commandLatency = latencyTimer("floorcast.commands.latency", "Command received on the socket → ACK/NACK sent", Duration.ofSeconds(30));
    recoveryTime = latencyTimer("floorcast.entity.recovery", "Session entity recovery (snapshot + replay) duration", Duration.ofSeconds(60));
    droppedUpdates =
        Counter.builder("floorcast.feed.updates.dropped")
            .description("Superseded or droppable updates removed from a lagging client's queue above the soft limit")
            .register(registry);
    coalescedUpdates =
        Counter.builder("floorcast.feed.updates.coalesced")
            .description("Likes and reactions merged into the count of an earlier LIKE_RECEIVED / REACTION_RECEIVED")
            .register(registry);
    slowClientCloses =
        Counter.builder("floorcast.ws.slow.client.closes")
            .description("Connections closed because their outbound queue passed the hard limit")
            .register(registry);
    journalErrors =
        Counter.builder("floorcast.journal.errors")
            .description("Failed or rejected journal writes and failed recoveries")
            .register(registry);
    authFailures =
        Counter.builder("floorcast.auth.failures")
            .description("Rejected DJ tokens and logins")
            .register(registry);

    system.registerOnTermination(registry::close);
  }

  /** A latency histogram (percentile buckets from 1 ms up to {@code max}). */
  private Timer latencyTimer(String name, String description, Duration max) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(max)
        .register(registry);
  }

  public static NodeMetrics get(ClassicActorSystemProvider system) {
    return Id.INSTANCE.get(system);
  }

  public static NodeMetrics get(ActorSystem system) {
    return Id.INSTANCE.get(system);
  }

  /** Prometheus text exposition of every meter of this node. */
  public String scrape() {
    return registry.scrape();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void connectionOpened() {
    connections.incrementAndGet();
  }

  @Override
  public void connectionClosed(int closeCode) {
    connections.decrementAndGet();
    labelled(closes, "floorcast.ws.closes", "code", Integer.toString(closeCode),
        "WebSocket connections closed, by close code").increment();
  }

  public int openConnections() {
    return connections.get();
  }

  @Override
  public void messageIn(String type) {
    labelled(messagesIn, "floorcast.ws.messages.in", "type", type, "Client → server messages by type")
        .increment();
  }

  @Override
  public void messagesOut(String type, int count) {
    labelled(messagesOut, "floorcast.ws.messages.out", "type", type, "Server → client messages by type")
        .increment(count);
  }

  /** One handled command: {@code acked} false = NACK. Latency from socket receive to ACK/NACK. */
  @Override
  public void commandHandled(String type, boolean acked, Duration latency) {
    String t = boundedValue(commands, type + (acked ? "|ack" : "|nack"), type);
    commands
        .computeIfAbsent(
            t + (acked ? "|ack" : "|nack"),
            k ->
                Counter.builder("floorcast.commands")
                    .tag("type", t)
                    .tag("result", acked ? "ack" : "nack")
                    .description("Commands handled, by type and result")
                    .register(registry))
        .increment();
    commandLatency.record(latency);
  }

  @Override
  public void fanoutLatency(Duration latency) {
    fanoutLatency.record(latency);
  }

  @Override
  public void persistLatency(Duration latency) {
    persistLatency.record(latency);
  }

  @Override
  public void recoveryTime(Duration duration) {
    recoveryTime.record(duration);
  }

  @Override
  public void updatesDropped(int count) {
    droppedUpdates.increment(count);
  }

  @Override
  public void updatesCoalesced(int count) {
    coalescedUpdates.increment(count);
  }

  @Override
  public void slowClientClosed() {
    slowClientCloses.increment();
  }

  @Override
  public void journalError() {
    journalErrors.increment();
  }

  @Override
  public void authFailure() {
    authFailures.increment();
  }

  /** A request answered 429; {@code limit} names the limit (e.g. {@code ws_upgrade}, {@code login}). */
  @Override
  public void rateLimited(String limit) {
    labelled(rateLimited, "floorcast.ratelimit.rejections", "limit", limit,
        "Requests rejected by a rate limit, by limit").increment();
  }

  /** Set by {@link LocalShards} polling — sharding has no push API for these counts. */
  void shardCounts(int shards, int entities) {
    localShards.set(shards);
    localEntities.set(entities);
  }

  private Counter labelled(
      Map<String, Counter> counters, String name, String tag, String value, String description) {
    // hot path (one call per frame sent): a value seen before is a key already, validated when it was added
    Counter known = value == null ? null : counters.get(value);
    if (known != null) return known;
    String v = boundedValue(counters, value, value);
    return counters.computeIfAbsent(
        v, k -> Counter.builder(name).tag(tag, k).description(description).register(registry));
  }

  /** {@code value} if it is a plain word and the label has room (or already has it), else {@code other}. */
  private static String boundedValue(Map<String, Counter> counters, String key, String value) {
    if (value == null || !LABEL_VALUE.matcher(value).matches()) return OTHER;
    if (!counters.containsKey(key) && counters.size() >= MAX_LABEL_VALUES) return OTHER;
    return value;
  }

  private static int countMembers(Cluster cluster, MemberStatus status) {
    int n = 0;
    for (Member m : cluster.state().getMembers()) {
      if (m.status().equals(status)) n++;
    }
    return n;
  }

  /** Extension id: one {@link NodeMetrics} per ActorSystem. */
  public static final class Id extends AbstractExtensionId<NodeMetrics> {
    public static final Id INSTANCE = new Id();

    private Id() {}

    @Override
    public NodeMetrics createExtension(ExtendedActorSystem system) {
      NodeMetrics metrics = new NodeMetrics(system);
      LocalShards.pollInto(system, metrics);
      return metrics;
    }
  }
}
