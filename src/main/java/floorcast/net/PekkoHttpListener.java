package floorcast.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.http.javadsl.ServerBinding;

/** pekko-http's own binding (pekko's TCP actors) as an {@link HttpListener}. */
final class PekkoHttpListener implements HttpListener {
  private final ServerBinding binding;

  PekkoHttpListener(ServerBinding binding) {
    this.binding = binding;
  }

  @Override
  public InetSocketAddress localAddress() {
    return binding.localAddress();
  }

  @Override
  public CompletionStage<Done> unbind() {
    return binding.unbind();
  }

  @Override
  public CompletionStage<Done> terminate(Duration hardDeadline) {
    return binding.terminate(hardDeadline).thenApply(t -> Done.getInstance());
  }
}
