package floorcast.ops;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;

/**
 * {@code GET /metrics} on the management port (loopback / pod network only): the Prometheus text exposition of
 * {@link NodeMetrics}. Registered under {@code pekko.management.http.routes} (management.conf).
 */
public final class MetricsRoutes implements ManagementRouteProvider {
  private static final ContentType PROMETHEUS_TEXT =
      ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final NodeMetrics metrics;

  public MetricsRoutes(ExtendedActorSystem system) {
    this.metrics = NodeMetrics.get(system);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    return path(
        "metrics",
        () ->
            get(
                () ->
                    complete(
                        HttpResponse.create()
                            .withEntity(HttpEntities.create(PROMETHEUS_TEXT, metrics.scrape().getBytes(StandardCharsets.UTF_8))))));
  }
}
