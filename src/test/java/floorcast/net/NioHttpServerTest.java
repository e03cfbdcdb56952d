package floorcast.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Floorcast's TCP transport beneath pekko-http's server layer, over real sockets: keep-alive, the TCP peer as the
 * client address, a response larger than the socket buffers to a slow reader (the write-readiness path), a request
 * body larger than the read bound (the pause-and-resume path), the peer's half-close, max-connections, and a
 * graceful terminate. The WebSocket side runs through it in every gateway test (TransportTestNode, FloorcastNode).
 */
class NioHttpServerTest {
  private static ActorSystem<Void> system;
  private NioHttpServer server;
  private final CompletableFuture<String> slowAnswer = new CompletableFuture<>();
  private final CompletableFuture<Boolean> slowStarted = new CompletableFuture<>();

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "nio-test", config(19000, "150s"));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @AfterEach
  void unbind() throws Exception {
    slowAnswer.complete("late");
    if (server != null) server.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static com.typesafe.config.Config config(int maxConnections, String idleTimeout) {
    return ConfigFactory.parseString(
            "pekko.actor.provider = local\npekko.loglevel = WARNING\n"
                + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\npekko.coordinated-shutdown.exit-jvm = off\n"
                + "pekko.http.server.max-connections = " + maxConnections + "\n"
                + "pekko.http.server.idle-timeout = " + idleTimeout + "\n")
        .withFallback(ConfigFactory.load());
  }

  private final class Routes extends AllDirectives {
    Route route() {
      return concat(
          path("ip", () -> extractRequest(r -> complete(
              r.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress)
                  .map(a -> a.getHostAddress()).orElse("none")))),
          path("big", () -> parameter("n", n -> complete(
              HttpResponse.create().withEntity(HttpEntities.create(pattern(Integer.parseInt(n))))))),
          path("count", () -> entity(Unmarshaller.entityToByteString(), (ByteString b) ->
              complete(b.size() + ":" + checksum(b.toArray())))),
          path("slow", () -> {
            slowStarted.complete(true);
            return onSuccess(slowAnswer, this::complete);
          }));
    }
  }

  private NioHttpServer serve(ActorSystem<Void> on) throws IOException {
    server = NioHttpServer.bind(on, "127.0.0.1", 0, new Routes().route().flow(on));
    return server;
  }

  private static byte[] pattern(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) b[i] = (byte) (i % 251);
    return b;
  }

  private static long checksum(byte[] b) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(b);
    return crc.getValue();
  }

  @Test
  void keepAliveRequestsShareOneConnectionAndSeeTheTcpPeer() throws Exception {
    serve(system);
    try (RawHttpConnection c = new RawHttpConnection(server.localAddress().getPort())) {
      for (int i = 0; i < 3; i++) {
        RawHttpConnection.Response r = c.get("/ip");
        assertEquals(200, r.status());
        assertEquals("127.0.0.1", r.text());
      }
      assertEquals(1, server.openConnections());
    }
    Eventually.await("connection count back to 0", () -> server.openConnections() == 0);
  }

  @Test
  void aResponseLargerThanTheSocketBuffersReachesASlowReaderIntact() throws Exception {
    serve(system);
    int size = 8 * 1024 * 1024;
    try (RawHttpConnection c = new RawHttpConnection(server.localAddress().getPort(), 4096)) {
      c.send("GET", "/big?n=" + size, new byte[0]);
      // 8 MiB in one write cannot fit the socket buffers (a 4 KiB receive buffer here): the rest goes out on the
      // selector's write readiness, as the client reads
      RawHttpConnection.Response r = c.read();
      assertEquals(200, r.status());
      assertEquals(size, r.body().length);
      assertArrayEquals(pattern(size), r.body());
    }
  }

  @Test
  void aRequestBodyLargerThanTheReadBoundArrivesWhole() throws Exception {
    serve(system);
    byte[] body = pattern(3 * 1024 * 1024 + 17);
    try (RawHttpConnection c = new RawHttpConnection(server.localAddress().getPort())) {
      c.send("POST", "/count", body);
      RawHttpConnection.Response r = c.read();
      assertEquals(200, r.status(), r.text());
      assertEquals(body.length + ":" + checksum(body), r.text());
    }
  }

  @Test
  void aPeerThatHalfClosesAfterItsRequestStillGetsTheResponse() throws Exception {
    serve(system);
    try (RawHttpConnection c = new RawHttpConnection(server.localAddress().getPort())) {
      c.send("GET", "/ip", new byte[0]);
      c.socket.shutdownOutput();
      RawHttpConnection.Response r = c.read();
      assertEquals("127.0.0.1", r.text());
      assertTrue(c.closedByServer(), "the server closes after answering a half-closed peer");
    }
  }

  @Test
  void terminateClosesIdleConnectionsAtOnceAndAnswersTheRequestInFlight() throws Exception {
    serve(system);
    int port = server.localAddress().getPort();
    try (RawHttpConnection idle = new RawHttpConnection(port);
        RawHttpConnection busy = new RawHttpConnection(port)) {
      assertEquals(200, idle.get("/ip").status());
      busy.send("GET", "/slow", new byte[0]);
      slowStarted.get(20, TimeUnit.SECONDS); // the request is in the route, not still on its way
      CompletionStage<?> terminated = server.terminate(Duration.ofSeconds(30));
      assertTrue(idle.closedByServer(), "an idle keep-alive connection is closed at once");
      assertFalse(terminated.toCompletableFuture().isDone(), "a request is still in flight");
      slowAnswer.complete("done");
      RawHttpConnection.Response r = busy.read();
      assertEquals("done", r.text());
      // with Connection: close if the drain reached the connection first; closed after it either way
      assertTrue(busy.closedByServer());
      // long before the 30 s deadline
      terminated.toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThrows(IOException.class, () -> new RawHttpConnection(port).get("/ip"), "no longer accepting");
    }
    server = null;
  }

  @Test
  void atMaxConnectionsTheNextConnectionWaitsUntilOneCloses() throws Exception {
    ActorSystem<Void> small = ActorSystem.create(Behaviors.empty(), "nio-test-small", config(2, "150s"));
    try {
      serve(small);
      int port = server.localAddress().getPort();
      RawHttpConnection first = new RawHttpConnection(port);
      try (RawHttpConnection second = new RawHttpConnection(port);
          RawHttpConnection third = new RawHttpConnection(port)) {
        assertEquals(200, first.get("/ip").status());
        assertEquals(200, second.get("/ip").status());
        third.send("GET", "/ip", new byte[0]);
        third.socket.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, third::read, "not accepted while two are open");
        third.socket.setSoTimeout(20_000);
        first.close();
        assertEquals("127.0.0.1", third.read().text());
      }
      server.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      server = null;
    } finally {
      small.terminate();
    }
  }

  @Test
  void aConnectionSilentForTheIdleTimeoutIsClosed() throws Exception {
    ActorSystem<Void> impatient = ActorSystem.create(Behaviors.empty(), "nio-test-idle", config(19000, "1s"));
    try {
      serve(impatient);
      try (RawHttpConnection quiet = new RawHttpConnection(server.localAddress().getPort())) {
        assertEquals(200, quiet.get("/ip").status());
        long t0 = System.nanoTime();
        assertTrue(quiet.closedByServer(), "closed once silent for the idle-timeout");
        assertTrue(System.nanoTime() - t0 >= 900_000_000L, "not before the timeout");
      }
      Eventually.await("connection gone", () -> server.openConnections() == 0);
      server.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
      server = null;
    } finally {
      impatient.terminate();
    }
  }

  @Test
  void unreadBytesAtCloseDoNotTurnTheAnswerIntoAReset() throws Exception {
    serve(system);
    try (RawHttpConnection c = new RawHttpConnection(server.localAddress().getPort())) {
      // a request pekko-http refuses (bad version) followed by bytes it never reads: the 400 must still arrive
      c.socket.getOutputStream().write(
          ("GET /ip HTTP/7.1\r\nHost: x\r\n\r\n" + "x".repeat(20_000)).getBytes(StandardCharsets.US_ASCII));
      RawHttpConnection.Response r = c.read();
      assertTrue(r.status() >= 400 && r.status() < 600, "status " + r.status());
    }
  }
}
