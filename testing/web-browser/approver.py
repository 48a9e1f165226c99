#!/usr/bin/env python3
"""An approver in a real browser: headless Chromium (Debian's chromium + chromium-driver) driven by selenium logs in
to the broker's approver page through the test IdP's login form, decides requests and opens a session's replay,
taking a screenshot of every page on a phone-sized screen. The Swift test that runs it checks what the broker and
the waiting `hoopctl exec` did; this script reports what the page showed, one JSON object per line on stdout.

    approver.py --broker https://127.0.0.1:PORT --ca CA.pem --username alice --email alice@example.com \
        --groups dba,admins --screenshots DIR [--approve ID] [--deny ID --comment TEXT] [--session ID]

Only the broker's own certificate is accepted (by its public key's hash, read from a connection verified against
the broker's CA file), so the browser checks TLS like any other.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import socket
import ssl
import sys
import urllib.parse

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

PHONE = (390, 844)


def broker_spki_hash(broker: str, ca_file: str) -> str:
    """The base64 SHA-256 of the broker's certificate's public key, from a TLS connection verified by the CA."""
    parts = urllib.parse.urlsplit(broker)
    context = ssl.create_default_context(cafile=ca_file)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
        with context.wrap_socket(raw, server_hostname=parts.hostname) as tls:
            der = tls.getpeercert(binary_form=True)
    spki = x509.load_der_x509_certificate(der).public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()


def start_browser(broker: str, ca_file: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={PHONE[0]},{PHONE[1]}", "--hide-scrollbars",
                     f"--ignore-certificate-errors-spki-list={broker_spki_hash(broker, ca_file)}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


class Approver:
    def __init__(self, driver: webdriver.Chrome, args: argparse.Namespace):
        self.driver, self.args = driver, args
        self.wait = WebDriverWait(driver, 20)

    def report(self, **fields) -> None:
        print(json.dumps(fields), flush=True)

    def shot(self, name: str) -> None:
        # The whole page, not just the first screen: stretch the window to the document's height first.
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(PHONE[0], max(PHONE[1], height))
        self.driver.save_screenshot(os.path.join(self.args.screenshots, f"{name}.png"))
        self.driver.set_window_size(*PHONE)

    def text(self, element_id: str) -> str | None:
        found = self.driver.find_elements(By.ID, element_id)
        return found[0].text if found else None

    def log_in(self) -> None:
        self.driver.get(self.args.broker + "/approvals")
        self.wait.until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".options a")))
        self.report(page="login", url=self.driver.current_url)
        self.shot("web-login")
        self.driver.find_element(By.CSS_SELECTOR, ".options a").click()
        self.wait.until(expected_conditions.presence_of_element_located((By.ID, "username")))
        self.driver.find_element(By.ID, "username").send_keys(self.args.username)
        self.driver.find_element(By.ID, "email").send_keys(self.args.email)
        self.driver.find_element(By.ID, "groups").send_keys(self.args.groups)
        self.shot("web-idp-login")
        self.driver.find_element(By.ID, "login").click()
        self.wait.until(lambda d: d.current_url.startswith(self.args.broker + "/approvals"))
        self.report(page="approvals", url=self.driver.current_url,
                    cards=[c.text for c in self.driver.find_elements(By.CSS_SELECTOR, "a.card")])
        if self.args.approve or self.args.deny:
            # The list as the decider first sees it (a later run only for a session would show it empty).
            self.shot("web-approvals")

    def decide(self, approval: str, decision: str, comment: str) -> None:
        self.driver.get(f"{self.args.broker}/approvals/{approval}")
        self.wait.until(expected_conditions.presence_of_element_located((By.ID, decision)))
        self.report(page="approval", id=approval, status=self.text("status"), statement=self.text("statement"),
                    reason=self.text("reason"), requester=self.text("requester"))
        self.shot(f"web-approval-{decision}")
        self.driver.find_element(By.ID, "comment").send_keys(comment)
        self.driver.find_element(By.ID, decision).click()
        self.wait.until(expected_conditions.presence_of_element_located((By.ID, "notice")))
        self.report(page="decided", id=approval, status=self.text("status"), notice=self.text("notice"))
        self.shot({"approve": "web-approval-approved", "deny": "web-approval-denied"}[decision])

    def session(self, session: str) -> None:
        self.driver.get(f"{self.args.broker}/sessions/{session}")
        self.wait.until(expected_conditions.presence_of_element_located((By.ID, "replay")))
        statements = [s.text for s in self.driver.find_elements(By.CSS_SELECTOR, "ol.list pre")]
        self.report(page="session", id=session, statements=statements)
        self.shot("web-session")
        self.driver.find_element(By.ID, "replay").click()
        self.wait.until(expected_conditions.presence_of_element_located((By.ID, "replay-text")))
        self.report(page="replay", id=session, text=self.text("replay-text"))
        self.shot("web-replay")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--broker", required=True)
    parser.add_argument("--ca", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--email", default="")
    parser.add_argument("--groups", default="")
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--approve")
    parser.add_argument("--deny")
    parser.add_argument("--comment", default="")
    parser.add_argument("--session")
    args = parser.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    driver = start_browser(args.broker, args.ca)
    try:
        approver = Approver(driver, args)
        approver.log_in()
        if args.approve:
            approver.decide(args.approve, "approve", args.comment)
        if args.deny:
            approver.decide(args.deny, "deny", args.comment)
        if args.session:
            approver.session(args.session)
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
