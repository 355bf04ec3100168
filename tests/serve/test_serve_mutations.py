"""Damaged uploads never stop the self-check page: seeded mutations of real and generated
reports of every format (the batch mutation test's corpus, fewer per file), uploaded a few at
a time. Each gets the report page or a Chinese message naming the file, never a server error
or a traceback; the server stays up and keeps no upload."""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.support.serving import Server, alert_text, wait_until
from tests.cli.test_robustness_mutations import mutated_corpus

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_damaged_uploads_get_a_page_or_a_clear_message(tmp_path):
    files = mutated_corpus(tmp_path, per_file=2)
    assert len(files) >= 30
    with Server(tmp_path / "tmp", "--jobs", "2", "--timeout", "30") as server:

        def send(path):
            with httpx.Client(base_url=server.url, timeout=120) as client:
                response = client.post("/check", files={"report": (path.name, path.read_bytes())})
                if response.status_code == 303:
                    return path, 303, client.get(response.headers["location"]).text
                return path, response.status_code, response.text

        with ThreadPoolExecutor(max_workers=4) as senders:
            answers = list(senders.map(send, files))
        for path, status, page in answers:
            assert "Traceback" not in page
            if status == 303:
                assert 'id="findings"' in page or 'class="fatal"' in page, path.name
                continue
            message = alert_text(page)
            assert status in (413, 415, 422), (path.name, status, message)
            assert message and CJK.search(message) and "内部错误" not in message, (path.name, message)
            if status == 422 and "是空的" not in message:
                assert path.name in message, (path.name, message)  # the file as the user named it
        assert sum(status == 303 for _, status, _ in answers) and sum(status != 303 for _, status, _ in answers)
        assert server.alive()
        assert wait_until(lambda: server.uploads_left() == [])
