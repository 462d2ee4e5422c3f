#!/usr/bin/env python3
"""A fault-injecting proxy between clnrm and the Docker engine socket.

    fault_proxy.py LISTEN_SOCKET [--upstream PATH] [--delay-ms N]
                   [--delay-match TEXT] [--garble] [--log]

Listens on the unix socket LISTEN_SOCKET and forwards each connection to
the engine (default /var/run/docker.sock). Prints "ready" on stdout once it
listens, so a test waits for that line instead of sleeping. Faults:

  --delay-ms N       hold every request N ms before forwarding it (only the
                     requests whose request line contains --delay-match
                     TEXT, when given), like a slow engine
  --garble           answer every request but /_ping itself with a 200
                     whose JSON body is cut short (garbage from the engine)
  --truncate         like --garble, but the reply promises more bytes than
                     it sends and the connection closes (a truncated reply)
  --log              print each request line ("> POST /v1.41/...") on
                     stdout as it passes, so a test can act at a known point
                     (for example kill the proxy mid-run: a cut connection)

Killing the proxy closes every connection at once (the process owns them).
"""
import argparse
import os
import socket
import sys
import threading
import time

METHODS = (b"GET ", b"POST ", b"PUT ", b"DELETE ", b"HEAD ")


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def pump(src, dst):
    """Copies src to dst until either side closes."""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def request_line(data):
    if data.startswith(METHODS):
        return data.split(b"\r\n", 1)[0].decode("latin-1")
    return None


def closed(sock):
    """True when the peer has closed (a pending EOF), without consuming."""
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def forward_requests(args, client, upstream):
    """Client to engine, with the delay and logging applied per request."""
    try:
        while True:
            data = client.recv(65536)
            if not data:
                break
            line = request_line(data)
            if line is not None and args.log:
                say("> " + line)
            if (line is not None and args.delay_ms > 0 and
                    (args.delay_match is None or args.delay_match in line)):
                time.sleep(args.delay_ms / 1000.0)  # the fault itself
                if closed(client):
                    break  # the caller gave up: the engine never hears of it
            upstream.sendall(data)
    except OSError:
        pass
    for s in (client, upstream):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def read_request(client):
    """One request's head and body; None when the client closed."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        data = client.recv(65536)
        if not data:
            return None
        buf += data
    head, body = buf.split(b"\r\n\r\n", 1)
    length = 0
    for h in head.split(b"\r\n")[1:]:
        k, _, v = h.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
    while len(body) < length:
        data = client.recv(65536)
        if not data:
            return None
        body += data
    return head.split(b"\r\n", 1)[0].decode("latin-1")


def garble(args, client):
    """Answers by itself: /_ping honestly, everything else cut-short JSON."""
    try:
        while True:
            line = read_request(client)
            if line is None:
                break
            if args.log:
                say("> " + line)
            ping = " /_ping" in line
            body = b"OK" if ping else b'{"Id": "abc'
            # The status the call expects, so only the body is wrong.
            status = (b"201 Created" if line.startswith("POST ") and
                      "/create" in line else b"200 OK")
            length = len(body) + (100 if args.truncate and not ping else 0)
            client.sendall(b"HTTP/1.1 " + status + b"\r\nApi-Version: 1.41"
                           b"\r\nContent-Type: application/json\r\n"
                           b"Content-Length: %d\r\n\r\n" % length + body)
            if length != len(body):
                break  # the promised rest never comes: a truncated reply
    except OSError:
        pass
    client.close()


def serve(args, client):
    if args.garble or args.truncate:
        garble(args, client)
        return
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(args.upstream)
    except OSError:
        client.close()
        return
    threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
    forward_requests(args, client, upstream)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("listen")
    ap.add_argument("--upstream", default="/var/run/docker.sock")
    ap.add_argument("--delay-ms", type=int, default=0)
    ap.add_argument("--delay-match")
    ap.add_argument("--garble", action="store_true")
    ap.add_argument("--truncate", action="store_true")
    ap.add_argument("--log", action="store_true")
    args = ap.parse_args()
    if os.path.exists(args.listen):
        os.unlink(args.listen)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(args.listen)
    srv.listen(64)
    say("ready")
    while True:
        client, _ = srv.accept()
        threading.Thread(target=serve, args=(args, client),
                         daemon=True).start()


if __name__ == "__main__":
    main()
