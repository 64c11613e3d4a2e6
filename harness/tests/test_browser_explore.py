import pytest
from apps_live import make_project

T = '''
import pytest
from playwright.sync_api import expect

def test_1_home(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

def test_2_boom(page):
    page.goto("/boom")

@pytest.mark.expect_server_error
def test_3_expected(page):
    page.goto("/boom")
    expect(page.get_by_role("heading", name="Something went wrong on our side")).to_be_visible()
    assert False, "after the error page"

def test_4_cdn(page):
    page.goto("/cdn")
    expect(page.get_by_role("heading", name="Styled page")).to_be_visible()
'''

def test_explore(pytester, monkeypatch):
    make_project(pytester, monkeypatch, test_journeys=T)
    result = pytester.runpytest_subprocess()
    print(result.stdout.str())
    print(result.stderr.str())
    import subprocess
    print(subprocess.run(["find", str(pytester.path / "test-results")], capture_output=True, text=True).stdout)
    assert 0
