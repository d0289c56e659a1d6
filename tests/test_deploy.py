"""The README's deployment, run: deploy/nginx.conf (TLS at the proxy) in front of
`python -m app --workers 2 --shared` on a throwaway PostgreSQL. Only the ports, the
certificate (self-signed, made here) and the upstream address are swapped in; every other
line is the file as shipped."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from app.testing import free_port, serve_process

CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = pytest.mark.skipif(
    not os.path.exists(NGINX), reason="nginx is not installed: run `make nginx`"
)


def swap(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx.conf no longer has {old!r}"
    return text.replace(old, new)


@pytest.fixture
def proxied(tmp_path, postgres_url):
    """(https URL, http URL, CA file): nginx on two free ports before two app workers."""
    tmp_path.chmod(0o755)
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    args = ["--workers", "2", "--shared", "--db", postgres_url]
    with serve_process(args, tmp_path / "app.log") as app_url:
        https_port, http_port = free_port(), free_port()
        conf = CONF.read_text()
        conf = swap(conf, "server 127.0.0.1:8000;", f"server {app_url.removeprefix('http://')};")
        conf = swap(conf, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        conf = swap(conf, "listen 80;", f"listen 127.0.0.1:{http_port};")
        conf = swap(conf, "/etc/ssl/explorer/fullchain.pem", str(cert))
        conf = swap(conf, "/etc/ssl/explorer/privkey.pem", str(key))
        # Where a throwaway nginx keeps its pid, logs and buffers (not the file's business).
        run_dir = tmp_path / "nginx"
        run_dir.mkdir(mode=0o777)
        run_dir.chmod(0o777)
        conf = f"pid {run_dir}/nginx.pid;\nerror_log {run_dir}/error.log;\n" + conf
        temp = "".join(
            f"    {kind}_temp_path {run_dir}/{kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        conf = swap(conf, "http {\n", f"http {{\n    access_log off;\n{temp}")
        conf_file = tmp_path / "nginx.conf"
        conf_file.write_text(conf)
        test = subprocess.run(
            [NGINX, "-t", "-p", str(run_dir), "-c", str(conf_file)], capture_output=True, text=True
        )
        assert test.returncode == 0, test.stderr
        proc = subprocess.Popen(
            [NGINX, "-p", str(run_dir), "-c", str(conf_file), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"https://127.0.0.1:{https_port}"
            deadline = time.monotonic() + 20
            while True:
                try:
                    httpx.get(f"{base}/api/datasets", verify=False, timeout=2)
                    break
                except httpx.TransportError:
                    assert proc.poll() is None, (run_dir / "error.log").read_text()
                    assert time.monotonic() < deadline, "nginx did not answer"
                    time.sleep(0.1)
            yield base, f"http://127.0.0.1:{http_port}", ssl.create_default_context(cafile=cert)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_the_example_deployment_serves_owners_over_tls(proxied):
    base, plain, ca = proxied
    with httpx.Client(base_url=base, verify=ca, timeout=30) as a:
        page = a.get("/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]
        cookie = page.headers["set-cookie"]
        # The app saw https through X-Forwarded-Proto, so the owner key is a Secure cookie.
        for attribute in ("HttpOnly", "SameSite=Strict", "Secure"):
            assert attribute in cookie
        made = a.post(
            "/api/networks",
            json={
                "name": "through the proxy",
                "dataset": "xor",
                "network": {
                    "sizes": [2, 3, 2],
                    "activations": ["sigmoid", "sigmoid"],
                    "cost": "quadratic",
                    "init": {"seed": 1},
                },
            },
        )
        assert made.status_code == 201, made.text
        nid = made.json()["id"]
        trained = a.post(
            f"/api/networks/{nid}/train",
            json={"dataset": "xor", "learning_rate": 1, "steps": 5},
        )
        assert trained.status_code == 200 and trained.json()["version"] == 2
        gz = a.get("/api/datasets/digits", params={"limit": 50})
        assert gz.headers.get("content-encoding") == "gzip"
        # Every request of this client, on whichever worker, finds its network.
        for _ in range(6):
            assert httpx.get(f"{base}/api/networks/{nid}", verify=ca).status_code == 404
            assert a.get(f"/api/networks/{nid}").json()["version"] == 2
    redirect = httpx.get(f"{plain}/api/networks", follow_redirects=False)
    assert redirect.status_code == 308
    assert redirect.headers["location"].startswith("https://")
