#!/usr/bin/python3
"""The authorizer's Lambda package on a local emulation of the Runtime API (make bench).

Unzips build/oficina-authorizer.zip, then
  - cold start: 20 times, starts bootstrap and times exec -> its first answer posted back;
  - warm: one process answers 2000 invocations in a row (the emulator's own cost included).
The event is a REST REQUEST authorizer event with a valid HS256 token signed here.

    scripts/bench-authorizer.py BUILD_DIR
"""
import base64, hashlib, hmac, http.server, json, os, statistics, subprocess, sys, tempfile
import threading, time, zipfile

SECRET = "bench-authorizer-secret-bench-authorizer-0001"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token():
    now = int(time.time())
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps({"sub": "0b7f5a52-9d41-4c1e-a9f3-5f0e8f2b6c11", "role": "atendente",
                           "iss": "oficina", "aud": "oficina-api", "iat": now, "exp": now + 3600,
                           "jti": "bench"}).encode())
    sig = hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{b64(sig)}"


EVENT = json.dumps({"type": "REQUEST", "methodArn":
                    "arn:aws:execute-api:sa-east-1:123456789012:abc123/prod/GET/api/clientes",
                    "headers": {"Authorization": "Bearer " + token()}}).encode()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a killed bootstrap resets its held /next: expected


class Runtime(http.server.BaseHTTPRequestHandler):
    """GET .../invocation/next hands out the event while invocations remain, then holds; a POST
    .../response counts one answer (and must be an Allow policy)."""
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: without this, Nagle and the client's delayed ACK add
    # 40 ms to every invocation (the emulator's artefact, not Lambda's).
    disable_nagle_algorithm = True
    remaining = 0
    answered = 0
    done = threading.Event()
    lock = threading.Lock()
    seq = 0

    def log_message(self, *args):
        pass

    def do_GET(self):
        with Runtime.lock:
            give = Runtime.remaining > 0
            if give:
                Runtime.remaining -= 1
                Runtime.seq += 1
                rid = f"req-{Runtime.seq}"
        if not give:
            time.sleep(30)
            return
        self.send_response(200)
        self.send_header("Lambda-Runtime-Aws-Request-Id", rid)
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 3000))
        self.send_header("Content-Length", str(len(EVENT)))
        self.end_headers()
        self.wfile.write(EVENT)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if b'"Allow"' not in body:
            print("unexpected answer:", body[:200], file=sys.stderr)
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()
        with Runtime.lock:
            Runtime.answered += 1
            if Runtime.remaining == 0:
                Runtime.done.set()


def run(pkg, port, invocations):
    Runtime.remaining, Runtime.answered = invocations, 0
    Runtime.done.clear()
    env = {"PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": os.path.join(pkg, "lib"),
           "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}", "JWT_SECRET": SECRET}
    t0 = time.perf_counter()
    proc = subprocess.Popen([os.path.join(pkg, "bootstrap")], env=env,
                            stderr=subprocess.DEVNULL)
    Runtime.done.wait(60)
    elapsed = time.perf_counter() - t0
    proc.kill()
    proc.wait()
    return elapsed, Runtime.answered


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    server = Server(("127.0.0.1", 0), Runtime)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    with tempfile.TemporaryDirectory() as pkg:
        with zipfile.ZipFile(os.path.join(build, "oficina-authorizer.zip")) as z:
            z.extractall(pkg)
        os.chmod(os.path.join(pkg, "bootstrap"), 0o755)
        cold = [run(pkg, port, 1)[0] * 1000 for _ in range(20)]
        warm, n = run(pkg, port, 2000)
    size = os.path.getsize(os.path.join(build, "oficina-authorizer.zip")) / 1e6
    print(f"authorizer package {size:.1f} MB; cold start (exec to first answer posted) "
          f"p50 {statistics.median(cold):.1f} ms, max {max(cold):.1f} ms over 20; "
          f"warm {n / warm:.0f} invocations/s ({warm / n * 1e6:.0f} us each, emulator included)")


main()
