"""/docs and /redoc render from this server's vendored copies under the CSP: no request
leaves for a CDN and the console stays clean (the autouse no_errors fixture)."""

from __future__ import annotations

from urllib.parse import urlsplit


def test_swagger_ui_renders_every_operation_from_this_server(page, web_server):
    hosts = []
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc))
    page.goto("/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/backprop" in p for p in paths)
    assert len(paths) >= 20
    assert set(hosts) == {urlsplit(web_server).netloc}
    csp = page.request.get(f"{web_server}/docs").headers["content-security-policy"]
    assert "script-src 'self'" in csp


def test_redoc_renders_from_this_server(page, web_server):
    hosts = []
    page.on("request", lambda r: hosts.append(urlsplit(r.url).netloc))
    page.goto("/redoc")
    page.get_by_role("heading", name="Backprop Explorer").first.wait_for(timeout=30_000)
    page.get_by_text("/api/backprop", exact=True).first.wait_for(timeout=30_000)
    assert {h for h in hosts if h} == {urlsplit(web_server).netloc}
