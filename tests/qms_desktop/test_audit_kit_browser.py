"""The site audit kit in a real browser: Debian's chromium, headless, driven through Selenium.

The page is opened from a file with the network switched off, answered (a photo included),
reloaded, saved, and its results file imported into the database. Skipped, saying why, only
where chromium or its driver is not installed (.ci/run installs both).
"""

from __future__ import annotations

import base64
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from qms_desktop import attachments, audit_kit, audits
from qms_desktop.errors import ValidationError
from qms_desktop.models import Attachment, Audit, ChangeHistory
from tests.qms_desktop.kit_files import png, site_audit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

webdriver = pytest.importorskip(
    "selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
    pytest.skip("chromium and chromium-driver are not installed here (apt-get install "
                "chromium chromium-driver); .ci/run installs them", allow_module_level=True)

from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

WAIT_SECONDS = 30


def start_browser(profile: Path) -> Any:
    """Headless chromium on `profile`, with the network off."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 # No name resolves: the page could not reach anything even if it tried.
                 "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
    return driver


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield driver
    finally:
        driver.quit()


def open_kit(driver: Any, page: Path, downloads: Path, width: int = 390,
             height: int = 844) -> None:
    downloads.mkdir(exist_ok=True)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get(page.as_uri())
    wait_ready(driver)


def wait_ready(driver: Any) -> None:
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "1")


def kept(driver: Any) -> int:
    return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-kept") or 0)


def wait_kept_after(driver: Any, before: int) -> None:
    """Until the page has written its progress to IndexedDB since `before`, and has no
    change left to write."""
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: kept(d) > before
        and d.find_element(By.TAG_NAME, "body").get_attribute("data-pending") == "0")


def question(driver: Any, number: int) -> Any:
    return driver.find_element(By.ID, f"q{number}")


def choose(driver: Any, number: int, label: str) -> None:
    card = question(driver, number)
    choice = card.find_element(By.XPATH, f".//label[span[normalize-space()='{label}']]")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", choice)
    choice.click()


def checked_outcome(driver: Any, number: int) -> str:
    found = question(driver, number).find_elements(By.CSS_SELECTOR, "input[type=radio]:checked")
    return str(found[0].get_attribute("value")) if found else ""


def write_notes(driver: Any, number: int, text: str) -> None:
    notes = question(driver, number).find_element(By.CSS_SELECTOR, "textarea.notes")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", notes)
    notes.send_keys(text)


def attach_photo(driver: Any, number: int, path: Path, expected: int = 1) -> None:
    question(driver, number).find_element(By.CSS_SELECTOR, "input.file-input").send_keys(
        str(path))
    WebDriverWait(driver, WAIT_SECONDS).until(
        lambda d: len(question(d, number).find_elements(By.CSS_SELECTOR, ".thumbnails img"))
        == expected)


def save_results(driver: Any, downloads: Path, name: str) -> Path:
    target = downloads / name
    if target.exists():
        target.unlink()
    button = driver.find_element(By.ID, "save-results")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    # Chromium writes a .crdownload first and renames it when the file is whole.
    WebDriverWait(driver, WAIT_SECONDS).until(lambda _d: target.is_file())
    return target


def written() -> tuple[int, int]:
    return ChangeHistory.select().count(), Attachment.select().count()


def test_an_audit_taken_on_site_comes_back_with_its_photo(store, tmp_path, browser):
    audit = site_audit()
    made = audit_kit.make_kit(audit)
    page = tmp_path / made.file_name
    page.write_text(made.html, encoding="utf-8")
    downloads = tmp_path / "downloads"
    photo_file = tmp_path / "evidence.png"
    photo_file.write_bytes(png(640, 480, (20, 120, 200)))

    open_kit(browser, page, downloads)
    assert browser.find_element(By.ID, "audit-title").text == "Purchasing audit 2026"
    assert browser.find_element(By.ID, "progress").text == "0 of 3 answered"
    labels = [e.text for e in question(browser, 1).find_elements(By.CSS_SELECTOR, ".choice")]
    assert labels == ["Conforms", "Minor", "Major", "Observation", "Opportunity",
                      "Not applicable"]
    assert question(browser, 1).find_element(By.CSS_SELECTOR, "label.notes-label").text == \
        "Notes"

    before = kept(browser)
    choose(browser, 1, "Minor")
    write_notes(browser, 1, "Supplier X approved without an evaluation")
    attach_photo(browser, 1, photo_file)
    choose(browser, 2, "Conforms")
    wait_kept_after(browser, before)
    assert browser.find_element(By.ID, "progress").text == "2 of 3 answered"

    # Closing and opening the page again finds the progress kept on the device.
    last = kept(browser)
    browser.get("about:blank")
    browser.get(page.as_uri())
    wait_ready(browser)
    assert last >= 1
    assert checked_outcome(browser, 1) == "minor"
    assert checked_outcome(browser, 2) == "conforms"
    assert checked_outcome(browser, 3) == ""
    notes = question(browser, 1).find_element(By.CSS_SELECTOR, "textarea.notes")
    assert notes.get_attribute("value") == "Supplier X approved without an evaluation"
    assert len(question(browser, 1).find_elements(By.CSS_SELECTOR, ".thumbnails img")) == 1
    assert browser.find_element(By.ID, "progress").text == "2 of 3 answered"

    results_path = save_results(browser, downloads, made.kit.audit.title and
                                audit_kit.results_file_name(audit))
    outer = json.loads(results_path.read_text(encoding="utf-8"))
    assert outer["kit_id"] == made.kit.id and outer["audit_id"] == audit.id
    assert len(outer["sha256"]) == 64

    report = audit_kit.import_results(audit_kit.read_results_file(results_path))
    assert (report.answers_taken, report.photos_added) == (2, 1)
    first, second, third = audits.findings(audit)
    assert (first.outcome, first.notes) == ("minor", "Supplier X approved without an evaluation")
    assert first.answered_by == "Bob Quinn" and first.answered_at is not None
    assert second.outcome == "conforms" and third.outcome == audits.UNANSWERED
    [stored] = attachments.attachments_for(first)
    with Image.open(io.BytesIO(attachments.content(stored))) as image:
        assert image.format == "JPEG" and image.size == (640, 480)
        assert image.getpixel((320, 240))[2] > 150  # the blue of the photo, not a blank page

    # Its findings raise a nonconformity in one step.
    nc = audits.raise_nonconformity(first)
    assert nc.severity == "minor" and nc.process_id == audit.process_id

    # The same file again changes nothing; an edited one is refused.
    before_again = written()
    again = audit_kit.import_results(audit_kit.read_results_file(results_path))
    assert again.summary().startswith("Nothing new") and written() == before_again
    content = json.loads(outer["content"])
    content["answers"][1]["outcome"] = "major"
    outer["content"] = json.dumps(content)
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(outer), encoding="utf-8")
    with pytest.raises(ValidationError, match="changed after the kit saved it"):
        audit_kit.read_results_file(edited)
    assert written() == before_again

    # Saving again later gives a file that imports what changed since.
    choose(browser, 3, "Observation")
    write_notes(browser, 3, "Inspection results are kept in a paper book")
    later = save_results(browser, downloads, audit_kit.results_file_name(audit))
    report = audit_kit.import_results(audit_kit.read_results_file(later))
    assert report.answers_taken == 1 and report.photos_added == 0
    assert audits.findings(audit)[2].outcome == "observation"


def test_markup_in_the_audit_is_shown_as_text_and_never_run(store, tmp_path, browser):
    nasty = ("<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"
             "</script><b>bold?</b>")
    audit = site_audit("Markup audit", questions=(nasty, "Plain question?"), earlier=False)
    made = audit_kit.make_kit(audit)
    page = tmp_path / "kit.html"
    page.write_text(made.html, encoding="utf-8")
    downloads = tmp_path / "downloads"

    open_kit(browser, page, downloads, width=1280, height=900)
    assert question(browser, 1).find_element(By.CSS_SELECTOR, ".question-text").text == nasty
    assert question(browser, 1).find_elements(By.CSS_SELECTOR, ".question-text *") == []
    assert browser.execute_script("return window.pwned === undefined")

    note = "</script><script>window.pwned = 3</script>"
    before = kept(browser)
    choose(browser, 1, "Observation")
    write_notes(browser, 1, note)
    wait_kept_after(browser, before)
    browser.refresh()
    wait_ready(browser)
    notes = question(browser, 1).find_element(By.CSS_SELECTOR, "textarea.notes")
    assert notes.get_attribute("value") == note
    assert browser.execute_script("return window.pwned === undefined")

    results = save_results(browser, downloads, audit_kit.results_file_name(audit))
    audit_kit.import_results(audit_kit.read_results_file(results))
    assert audits.findings(audit)[0].notes == note


def test_a_large_photo_is_scaled_down_to_the_attachment_limit(store, tmp_path, browser,
                                                              monkeypatch):
    limit = 150_000
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", limit)
    audit = site_audit("Photo audit", earlier=False)
    made = audit_kit.make_kit(audit)
    page = tmp_path / "kit.html"
    page.write_text(made.html, encoding="utf-8")
    noise = Image.effect_noise((3000, 2000), 120).convert("RGB")
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    big = tmp_path / "big.png"
    big.write_bytes(buffer.getvalue())
    assert big.stat().st_size > 10 * limit

    open_kit(browser, page, tmp_path / "downloads")
    before = kept(browser)
    attach_photo(browser, 1, big)
    wait_kept_after(browser, before)
    data = browser.execute_script(
        "return document.querySelector('#q1 .thumbnails img').getAttribute('src')")
    photo = base64.b64decode(data.split(",", 1)[1])
    assert 0 < len(photo) <= limit
    with Image.open(io.BytesIO(photo)) as image:
        assert image.format == "JPEG" and max(image.size) <= 2048
        assert image.size[0] / image.size[1] == pytest.approx(1.5, rel=0.01)

    results = save_results(browser, tmp_path / "downloads", audit_kit.results_file_name(audit))
    report = audit_kit.import_results(audit_kit.read_results_file(results))
    assert report.photos_added == 1


def test_the_page_fits_a_phone_and_hashes_like_python(store, tmp_path, browser):
    audit = site_audit("Narrow audit", earlier=True)
    made = audit_kit.make_kit(audit)
    page = tmp_path / "kit.html"
    page.write_text(made.html, encoding="utf-8")
    open_kit(browser, page, tmp_path / "downloads", width=390, height=844)
    widths = browser.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1]
    save = browser.find_element(By.ID, "save-results")
    assert save.is_displayed() and save.rect["x"] + save.rect["width"] <= 390
    # The fallback for browsers without Web Crypto gives Python's SHA-256.
    import hashlib

    for text in ("", "abc", "Łukasz ₹ " * 40, "x" * 1000):
        got = browser.execute_script(
            "return window.qmsAuditKit.sha256Fallback(new TextEncoder().encode(arguments[0]))",
            text)
        assert got == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert Audit.get_by_id(audit.id).status == audits.PLANNED


def test_the_sample_company_takes_its_next_audit_on_site(sample_store, tmp_path, browser,
                                                         capsys):
    """The issue's own check, through the commands a user types: the sample company's next
    audit taken on site with the network off, answered with a photo, imported back."""
    from qms_desktop import cli, errors
    from qms_desktop.models import Finding

    audit = next(a for a in Audit.select().where(Audit.status == audits.PLANNED)
                 if audits.findings(a))
    reference = audit_kit.reference(audit)
    path = sample_store.path
    sample_store.close()
    page = tmp_path / "kit.html"
    assert cli.main(["audit-kit", "--db", str(path), "--audit", reference,
                     "--out", str(page)]) == 0
    capsys.readouterr()

    downloads = tmp_path / "downloads"
    photo_file = tmp_path / "shelf.png"
    photo_file.write_bytes(png(800, 600, (40, 160, 60)))
    open_kit(browser, page, downloads)
    before = kept(browser)
    choose(browser, 1, "Major")
    write_notes(browser, 1, "No record of the check for the last three orders")
    attach_photo(browser, 1, photo_file)
    choose(browser, 2, "Conforms")
    wait_kept_after(browser, before)
    browser.refresh()
    wait_ready(browser)
    assert checked_outcome(browser, 1) == "major"
    results = save_results(browser, downloads, audit_kit.results_file_name(audit))

    assert cli.main(["import-audit", "--db", str(path), str(results)]) == 0
    assert "Imported 2 answers and 1 photo" in capsys.readouterr().out
    from qms_desktop import db

    with db.open_database(path):
        first = audits.findings(Audit.get_by_id(audit.id))[0]
        assert first.outcome == "major" and first.answered_by == audit.auditor.full_name
        [stored] = attachments.attachments_for(first)
        assert stored.content_type == "image/jpeg" and attachments.is_intact(stored)
        nc = audits.raise_nonconformity(first)
        assert Finding.get_by_id(first.id).nonconformity_id == nc.id
        history = ChangeHistory.select().count()
    assert cli.main(["import-audit", "--db", str(path), str(results)]) == 0
    assert "Nothing new" in capsys.readouterr().out
    outer = json.loads(results.read_text(encoding="utf-8"))
    outer["content"] = outer["content"].replace("No record", "A record")
    results.write_text(json.dumps(outer), encoding="utf-8")
    assert cli.main(["import-audit", "--db", str(path), str(results)]) == \
        errors.EXIT_CHECK_FAILED
    assert "changed after the kit saved it" in capsys.readouterr().err
    with db.open_database(path):
        assert ChangeHistory.select().count() == history


def test_results_are_not_saved_while_a_finding_lacks_its_notes(store, tmp_path, browser):
    audit = site_audit("Notes audit", earlier=False)
    made = audit_kit.make_kit(audit)
    page = tmp_path / "kit.html"
    page.write_text(made.html, encoding="utf-8")
    downloads = tmp_path / "downloads"
    open_kit(browser, page, downloads)
    choose(browser, 2, "Minor")
    needs = question(browser, 2).find_element(By.CSS_SELECTOR, ".needs-notes")
    assert needs.is_displayed() and needs.text == "Write down what was seen."
    button = browser.find_element(By.ID, "save-results")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    state = browser.find_element(By.ID, "save-state").text
    assert state == "Write what was seen for Q2 before saving the results."
    assert browser.switch_to.active_element.get_attribute("id") == "q2-notes"
    assert not any(downloads.iterdir())
    write_notes(browser, 2, "The order was sent unchecked")
    assert not needs.is_displayed()
    write_notes(browser, 3, "Stores were locked")  # no outcome chosen for Q3
    results = save_results(browser, downloads, audit_kit.results_file_name(audit))
    state = browser.find_element(By.ID, "save-state").text
    assert state.endswith("Q3 has notes but no outcome: choose one and save again, or those "
                          "notes are not imported.")
    report = audit_kit.import_results(audit_kit.read_results_file(results))
    assert audits.findings(audit)[1].notes == "The order was sent unchecked"
    assert report.notes_left_out == 1


def test_progress_is_kept_when_the_browser_is_closed_and_opened_again(store, tmp_path):
    audit = site_audit("Closing audit", earlier=False)
    made = audit_kit.make_kit(audit)
    page = tmp_path / "kit.html"
    page.write_text(made.html, encoding="utf-8")
    profile = tmp_path / "profile"
    first = start_browser(profile)
    try:
        open_kit(first, page, tmp_path / "downloads")
        before = kept(first)
        choose(first, 3, "Opportunity")
        write_notes(first, 3, "A checklist at goods-in would help")
        wait_kept_after(first, before)
    finally:
        first.quit()
    again = start_browser(profile)
    try:
        open_kit(again, page, tmp_path / "downloads")
        assert checked_outcome(again, 3) == "opportunity"
        notes = question(again, 3).find_element(By.CSS_SELECTOR, "textarea.notes")
        assert notes.get_attribute("value") == "A checklist at goods-in would help"
        assert again.find_element(By.ID, "progress").text == "1 of 3 answered"
    finally:
        again.quit()
