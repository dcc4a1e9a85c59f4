"""Small real-looking Vietnamese articles for tests (written for this project, not copied)."""

from __future__ import annotations

import os
import pickle
import pwd
import subprocess
import sys
from pathlib import Path

import pytest

from diemtin.ingest import read_inputs
from diemtin.models import Skipped

CALL_2021 = """Ông Biden điện đàm với ông Putin, đề xuất gặp thượng đỉnh

VOV.VN - Ngày 13/4/2021, Điện Kremlin cho biết Tổng thống Nga Vladimir Putin và Tổng thống Mỹ Joe Biden đã tiến hành điện đàm theo sáng kiến của phía Mỹ.

Hai nhà lãnh đạo thảo luận kỹ lưỡng hiện trạng quan hệ Nga-Mỹ và một số vấn đề thời sự quốc tế.

Tổng thống Mỹ đề nghị xem xét khả năng tổ chức một cuộc gặp thượng đỉnh trong tương lai gần.

Tin liên quan

Nga cảnh báo tàu Mỹ tránh xa bờ biển Nga
Nga cảnh báo tàu Mỹ tránh xa bờ biển Nga
"""

FLOOD_2020 = """Miền Trung khẩn trương khắc phục hậu quả mưa lũ

Ngày 20/10/2020, các tỉnh miền Trung tiếp tục huy động lực lượng khắc phục hậu quả đợt mưa lũ lịch sử.

Theo Ban Chỉ đạo Trung ương về phòng chống thiên tai, mưa lũ đã làm hàng chục người thiệt mạng và hàng nghìn ngôi nhà bị ngập sâu.

Chính phủ đã hỗ trợ khẩn cấp gạo và kinh phí cho các địa phương bị thiệt hại nặng nhất./.

Theo TTXVN
"""


def write_articles(folder: Path, **articles: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in articles.items():
        p = folder / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def output_under_another_hash_seed(code: str) -> str:
    """stdout of ``python -c code`` in a child whose string hashing differs from this process's
    (another PYTHONHASHSEED): for checks that a result does not depend on ``hash()`` salting."""
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    child = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
    )
    return child.stdout.strip()


def unprivileged_user() -> pwd.struct_passwd | None:
    """The user a root test drops to so that permissions bite ('nobody'); None when not root. Skips
    the test when running as root without such a user."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("running as root and there is no 'nobody' user to drop privileges to")


def read_as(user: pwd.struct_passwd | None, path: Path) -> dict[str, str]:
    """read_inputs in a forked child that, as root, drops privileges to ``user`` first (chmod 000 does not
    stop root); the skip reasons by path."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        try:
            os.close(rfd)
            if user is not None:
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)
            out: object = {s.path: s.reason for s in read_inputs([str(path)]) if isinstance(s, Skipped)}
        except BaseException as exc:
            out = exc
        try:
            os.write(wfd, pickle.dumps(out))
        finally:
            os._exit(0)
    os.close(wfd)
    with os.fdopen(rfd, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    result = pickle.loads(data)
    if isinstance(result, BaseException):
        raise result
    assert isinstance(result, dict)
    return result
