package floorcast.live.transport;

import floorcast.live.ClientChannel;
import floorcast.live.ConnectionHandler;
import floorcast.live.ConnectionHandlerFactory;
import floorcast.live.FeedListener;
import floorcast.live.NodeFanout;
import floorcast.live.RenderedMessage;
import floorcast.session.SessionFeed;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test protocol logic driven by the client's text: {@code close:<code>:<reason>}, {@code follow:<sessionId>},
 * {@code lobby}, {@code ip}, {@code slow:<millis>} (completes later, then replies {@code done}), anything else is
 * echoed as {@code echo:<text>} (or {@code len:<n>} when longer than 200 chars). Records what the transport did.
 */
final class ScriptedHandlers {
  final ConcurrentHashMap<String, AtomicInteger> closedCalls = new ConcurrentHashMap<>();
  final List<String> inbound = new CopyOnWriteArrayList<>();
  final AtomicInteger active = new AtomicInteger();
  final AtomicInteger maxConcurrent = new AtomicInteger();
  volatile NodeFanout fanout;

  ConnectionHandlerFactory factory(LiveGateway gateway) {
    this.fanout = gateway.fanout();
    return this::create;
  }

  int closedCount(String connectionId) {
    AtomicInteger n = closedCalls.get(connectionId);
    return n == null ? 0 : n.get();
  }

  int totalClosed() {
    return closedCalls.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  private ConnectionHandler create(ClientChannel channel) {
    closedCalls.putIfAbsent(channel.connectionId(), new AtomicInteger());
    FeedListener listener =
        new FeedListener() {
          @Override
          public String connectionId() {
            return channel.connectionId();
          }

          @Override
          public boolean onMessage(RenderedMessage message) {
            channel.send(message.json(), message.message());
            return true;
          }

          @Override
          public void onRecovered(SessionFeed.Recovered recovered) {}

          @Override
          public void onDjRoleRevoked(SessionFeed.DjRoleRevoked revoked) {}
        };
    return new ConnectionHandler() {
      @Override
      public CompletionStage<Void> onText(String text) {
        int now = active.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        inbound.add(text);
        try {
          if (text.startsWith("close:")) {
            String[] p = text.split(":", 3);
            channel.close(Integer.parseInt(p[1]), p[2]);
          } else if (text.startsWith("follow:")) {
            fanout.follow(text.substring(7), listener);
            channel.send("following:" + text.substring(7), null);
          } else if (text.equals("lobby")) {
            fanout.watchLobby(listener);
            channel.send("watching", null);
          } else if (text.equals("ip")) {
            channel.send("ip:" + channel.clientIp(), null);
          } else if (text.equals("id")) {
            channel.send("id:" + channel.connectionId(), null);
          } else if (text.startsWith("slow:")) {
            long millis = Long.parseLong(text.substring(5));
            return CompletableFuture.runAsync(
                () -> {
                  channel.send("done:" + millis, null);
                  active.decrementAndGet();
                },
                CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
          } else if (text.length() > 200) {
            channel.send("len:" + text.length(), null);
          } else {
            channel.send("echo:" + text, null);
          }
        } finally {
          if (!text.startsWith("slow:")) active.decrementAndGet();
        }
        return CompletableFuture.completedFuture(null);
      }

      @Override
      public void onClosed() {
        closedCalls.computeIfAbsent(channel.connectionId(), k -> new AtomicInteger()).incrementAndGet();
      }
    };
  }
}
