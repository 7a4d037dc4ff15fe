import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * The origin of the address the server really bound (what `localhost` resolved to, the port
 * picked for 0). A wildcard bind is reachable on the loopback address of its family, and that is
 * the origin reported: 0.0.0.0 and :: are not addresses to connect to (RFC 1122 §3.2.1.3,
 * RFC 4291 §2.5.2), and browsers refuse them as a host.
 */
export function originOf(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0'
      ? '127.0.0.1'
      : address.address === '::'
        ? '::1'
        : address.address;
  return `http://${hostPort(host, address.port)}`;
}

/** `host:port`, with an IPv6 address in brackets (RFC 3986 §3.2.2). */
export function hostPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** 127.0.0.0/8, ::1, and IPv4-mapped 127.0.0.0/8 (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3, §2.5.5.2). */
export function isLoopback(address: string): boolean {
  const v4 = address.replace(/^::ffff:/i, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets would otherwise hold close() open until they time out.
    server.closeAllConnections();
  });
}
