package dev.revstream.wallboard;

import io.javalin.http.sse.SseClient;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One browser on the event stream, with its own bounded queue and its own sending thread, so a
 * browser that stops reading (its socket full, its tab asleep) stalls only itself. Drop policy: when
 * its queue is full, everything waiting is dropped and replaced by one fresh copy of the whole
 * picture, sent when the browser reads again (a browser never shows a partial picture, and the
 * memory it holds is one picture at most). Dropped events are counted. The thread ends when the
 * browser goes (a failed write closes the client) or the board closes.
 */
final class BoardClient {
    /** Events a browser may fall behind by before its queue is replaced by the picture. */
    static final int QUEUE = 512;

    private record Message(String event, String data) {}

    private final SseClient sse;
    private final Supplier<String> picture;
    private final AtomicLong dropped;
    private final Deque<Message> queue = new ArrayDeque<>();
    private boolean resync;
    private boolean closed;

    /**
     * @param picture the whole picture now, for a browser that fell too far behind
     * @param dropped where events dropped for any browser are counted
     */
    BoardClient(SseClient sse, Supplier<String> picture, AtomicLong dropped) {
        this.sse = sse;
        this.picture = picture;
        this.dropped = dropped;
    }

    /** Starts the sending thread, after the client's first event. */
    void start(String name) {
        Thread t = new Thread(this::send, name);
        t.setDaemon(true);
        t.start();
    }

    /** Queues an event; never blocks. */
    synchronized void offer(String event, String data) {
        if (closed) {
            return;
        }
        if (resync) {
            dropped.incrementAndGet(); // the picture sent next includes it
            return;
        }
        if (queue.size() >= QUEUE) {
            dropped.addAndGet(queue.size() + 1L);
            queue.clear();
            resync = true;
        } else {
            queue.addLast(new Message(event, data));
        }
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        queue.clear();
        notifyAll();
    }

    boolean isClosed() {
        return sse.terminated();
    }

    private void send() {
        while (true) {
            Message m;
            synchronized (this) {
                while (!closed && queue.isEmpty() && !resync) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                if (resync) {
                    resync = false;
                    m = null;
                } else {
                    m = queue.pollFirst();
                }
            }
            // outside the lock: a write to a browser that does not read blocks only this thread
            if (m == null) {
                sse.sendEvent("state", picture.get());
            } else {
                sse.sendEvent(m.event(), m.data());
            }
            if (sse.terminated()) {
                close();
                return;
            }
        }
    }
}
