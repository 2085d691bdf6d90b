package dev.abo.inference.bench;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The benchmark client's own Netty event loop: one thread named {@code bench-client-loop-N} (so its CPU time is
 * told apart from the server's event loops, which grpc-netty names {@code grpc-*}), on the transport the server
 * uses too: native epoll where available, else NIO.
 */
record ClientLoop(EventLoopGroup group, Class<? extends SocketChannel> channelType) implements AutoCloseable {

    static ClientLoop start() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "bench-client-loop-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new ClientLoop(new MultiThreadIoEventLoopGroup(1, threads, io), epoll ? EpollSocketChannel.class : NioSocketChannel.class);
    }

    @Override
    public void close() throws InterruptedException {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
}
