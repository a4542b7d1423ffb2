"""Starts the emulator as a child process on a free loopback port; used by the pytest fixtures, the demo and
the benchmarks (the Java tests have their own starter, dev.atrest.testing.Emulator)."""
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

EMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running(log_path, python=sys.executable, timeout=60, plain=False):
    """Yields the endpoint URL of a ready emulator; stops it on exit. Raises if it cannot start.
    plain=True starts moto's own server without atrest's extensions (to pin what moto alone does)."""
    port = free_port()
    env = dict(os.environ, PYTHONPATH=EMULATOR_DIR, MOTO_EC2_LOAD_DEFAULT_AMIS="false")
    command = ([python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)] if plain
               else [python, "-m", "atrest_emulator", "--port", str(port)])
    ready = "/moto-api/data.json" if plain else "/_atrest/health"
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"emulator exited with {proc.returncode}: {open(log_path).read()[-4000:]}")
            try:
                urllib.request.urlopen(url + ready, timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError(f"emulator not ready after {timeout}s: {open(log_path).read()[-4000:]}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def reset(url):
    urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset", method="POST"))
