"""Screen reader announcements while training: none while it plays (the numbers change
several times a second), one sentence on Pause and one per Step, with the cost the API
computes for the sample in view."""

from __future__ import annotations

import re

import pytest
from train_helpers import idle

XOR_NET = {
    "sizes": [2, 3, 2],
    "activations": ["sigmoid", "sigmoid"],
    "cost": "quadratic",
    "init": {"scheme": "xavier", "seed": 5},
}

# What a screen reader would voice: text added to, or changed in, a region that is live at
# that moment (aria-live polite/assertive, or role status/alert/log not turned off).
# Every text change in the columns is counted too, live or not, to show the page moved.
COUNT_JS = """() => {
  window.__said = [];
  window.__pageChanges = 0;
  const liveness = (el) => {
    const region = el && el.closest('[aria-live], [role=status], [role=alert], [role=log]');
    if (!region) return "off";
    const attr = region.getAttribute("aria-live");
    if (attr) return attr;
    return region.getAttribute("role") === "alert" ? "assertive" : "polite";
  };
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target.nodeType === 3 ? r.target.parentElement : r.target;
      if (el && el.closest("main")) window.__pageChanges++;
      if (liveness(el) === "off") continue;
      const text = r.type === "characterData" ? r.target.textContent
        : [...r.addedNodes].map((n) => n.textContent).join("");
      const region = el.closest("[id]")?.id ?? "";
      if (text.trim()) window.__said.push({ region, text: text.trim() });
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
}"""


# Live regions that would speak now, other than the diagram's own (#live) and the dock's.
POLITE_OUTSIDE_JS = """() => [...document.querySelectorAll('[aria-live=polite], [role=status]')]
  .filter((e) => e.id !== 'live' && e.id !== 'train-announce' && !e.closest('#train-dock'))
  .filter((e) => e.getAttribute('aria-live') !== 'off').length"""


def said(page) -> list[dict]:
    return page.evaluate("window.__said")


def cost_in(text: str) -> float:
    m = re.search(r"Cost of the sample in view: (\S+)\.$", text)
    assert m, text
    return float(m.group(1).replace("\u2212", "-"))


@pytest.fixture
def xor_net(saved_network):
    return saved_network(XOR_NET, "live xor", "xor")


def test_quiet_while_playing_then_one_sentence(
    page, open_page, xor_net, click_edge, api, inputs, settled
):
    open_page(f"?net={xor_net}&lr=3&charts=closed")
    click_edge(2, 0, 1)  # the Inspector's numbers follow training too
    page.locator("#panel-inspector[data-kind=weight]").wait_for()
    settled()

    page.click("#train-play")
    # From the moment training plays, count what a screen reader would be told.
    page.wait_for_selector(".cost-readout[aria-live=off]")
    page.evaluate(COUNT_JS)
    # Let it play until the columns (the Inspector's numbers...) have changed many times.
    page.wait_for_function("() => window.__pageChanges >= 40", timeout=30_000)
    assert said(page) == []
    # The cost readout is muted meanwhile, and the announcer is not.
    assert page.get_attribute(".cost-readout", "aria-live") == "off"
    assert page.get_attribute("#train-announce", "aria-live") is None  # role=status: polite

    page.click("#train-play")  # Pause
    idle(page)
    page.wait_for_function("() => window.__said.length > 0")
    settled()
    spoken = said(page)
    assert len(spoken) == 1, spoken
    assert spoken[0]["region"] == "train-announce"
    text = spoken[0]["text"]
    # The dock's own status line, read out once: the step count and the loss.
    steps = page.get_attribute("#train-dock", "data-steps")
    assert text.startswith(f"Training paused: {steps} steps, loss "), text
    cost = api("backprop", inputs())["cost"]
    assert cost_in(text) == pytest.approx(cost, rel=1e-5)
    # The views' late catching-up (the batch reloads) stays unspoken; the user's next key
    # press gives the page's own live regions their voice back, for what that key does.
    settled()
    assert page.get_attribute(".cost-readout", "aria-live") == "off"
    assert page.evaluate(POLITE_OUTSIDE_JS) == 0
    page.focus("#network-canvas")
    page.keyboard.press("ArrowDown")  # the next edge into the same neuron: w^2_02
    page.wait_for_function("() => window.__said.some((s) => s.region === 'live')")
    assert any(
        s["region"] == "live" and s["text"].startswith("Weight w 2, 0 2") for s in said(page)
    ), said(page)
    assert page.get_attribute(".cost-readout", "aria-live") == "polite"
    assert page.locator("[data-live-was]").count() == 0
    assert page.evaluate(POLITE_OUTSIDE_JS) >= 3  # the cost, the stepper, the batch box
    page.locator("#panel-inspector[data-k='2']").wait_for()
    settled()
    page.evaluate("window.__said = []")

    # Step: exactly one more sentence, for the one step.
    page.click("#train-step")
    idle(page)
    page.wait_for_function("() => window.__said.length > 0")
    settled()
    spoken = said(page)
    assert len(spoken) == 1, spoken
    text = spoken[0]["text"]
    assert text.startswith(f"Trained one step: {int(steps) + 1} steps, loss "), text
    assert cost_in(text) == pytest.approx(api("backprop", inputs())["cost"], rel=1e-5)
