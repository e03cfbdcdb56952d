package floorcast.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import floorcast.testing.TestDatabase;
import floorcast.testing.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * One node on a fresh database with its management endpoint, for the warm-up tests: plain GETs against its HTTP
 * port and its metrics, and a count over its journal.
 */
final class WarmupTestNode implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  final DatabaseSettings db;
  final FloorcastNode node;
  private final String metricsUrl;

  private WarmupTestNode(DatabaseSettings db, FloorcastNode node, String metricsUrl) {
    this.db = db;
    this.node = node;
    this.metricsUrl = metricsUrl;
  }

  static WarmupTestNode start(Map<String, Object> overrides) throws Exception {
    DatabaseSettings db = TestDatabase.fresh();
    FloorcastNode node = TestNodes.single(db, overrides);
    return new WarmupTestNode(db, node, "http://127.0.0.1:" + ManagementServer.start(node.system()).port() + "/metrics");
  }

  int httpPort() {
    return node.httpPort();
  }

  /** GET on the node's HTTP port, whatever the status. */
  HttpResponse<String> get(String path) throws Exception {
    return send("http://127.0.0.1:" + node.httpPort() + path);
  }

  /** The Prometheus scrape (asserted 200). */
  String metrics() throws Exception {
    HttpResponse<String> r = send(metricsUrl);
    assertEquals(200, r.statusCode(), metricsUrl);
    return r.body();
  }

  /** The first column of a one-row query over the node's database (e.g. a count of journal rows). */
  long queryLong(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  @Override
  public void close() {
    node.close();
  }

  private static HttpResponse<String> send(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
