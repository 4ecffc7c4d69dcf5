import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A forward proxy on loopback, as a corporate proxy in front of a self-hosted runner: it
 * serves CONNECT tunnels and absolute-URI requests, and sends each to 127.0.0.1 at the port
 * `portFor` picks (by default the port asked for). Names that do not resolve (`*.invalid`)
 * are then reachable only through it, which is what proves a client used it.
 */
export interface ForwardProxy {
  readonly url: string;
  /** `CONNECT host:port` or `METHOD absolute-url`, in arrival order. */
  readonly seen: readonly string[];
  close(): Promise<void>;
}

export async function startForwardProxy(
  portFor: (host: string, port: number) => number = (_host, port) => port,
): Promise<ForwardProxy> {
  const seen: string[] = [];
  // Tunnels leave the HTTP server once established; closing must end them too.
  const tunnels = new Set<Socket>();
  const server = createServer((request, response) => {
    seen.push(`${request.method ?? ''} ${request.url ?? ''}`);
    const url = new URL(request.url ?? '/');
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: portFor(url.hostname, Number(url.port || 80)),
        method: request.method,
        path: `${url.pathname}${url.search}`,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${request.url ?? ''}`);
    const target = new URL(`http://${request.url ?? ''}`);
    const upstream = connect(portFor(target.hostname, Number(target.port || 443)), '127.0.0.1');
    for (const socket of [client, upstream]) {
      tunnels.add(socket);
      socket.on('close', () => tunnels.delete(socket));
    }
    upstream.on('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of tunnels) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
