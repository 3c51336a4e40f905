"""Demo attachments for `doudi demo`: a scanned 户口簿 page kept with a Huining household, and the
signed 家庭经济状况核对授权书 kept with its 低保 case (both synthetic, made here).

Called by doudi.web.demo.populate() after the cases exist; idempotent (nothing is added when an
attachment exists). Uploaded through the real service, so the files are in the configured
storage and each upload is in the audit log.
"""

from __future__ import annotations

import struct
import zlib

from django.core.files.base import ContentFile

DEMO_TOWN = "620422100"


def scan_png(width: int = 360, height: int = 240) -> bytes:
    """A plain synthetic 'scan': a light page with a red frame and grey lines (a valid PNG)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            frame = x < 6 or y < 6 or x >= width - 6 or y >= height - 6
            line = 40 <= y < height - 30 and y % 28 < 3 and 30 <= x < width - 30
            rows += bytes((176, 38, 28) if frame else (150, 150, 150) if line else (250, 248, 240))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
            + chunk(b"IEND", b""))


AUTHORISATION = """<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><style>
body {{ font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; margin: 3cm 2.5cm; line-height: 1.9; }}
h1 {{ text-align: center; font-size: 20pt; }} .sign {{ margin-top: 3em; text-align: right; }}</style>
<h1>家庭经济状况核对授权书</h1>
<p>本人及共同生活的家庭成员申请最低生活保障，同意并授权民政部门及其委托的核对机构，依法查询、核对本人及家庭成员的\
户籍、收入、财产等信息，用于社会救助审核确认。</p>
<p>申请人：{name}（身份证号 {masked}）</p>
<p class="sign">授权人签字：{name}　　　　日期：{day}</p>
<p style="color:#888">（演示数据，非真实文件）</p></html>"""


def populate() -> str | None:
    from doudi.accounts.areas import region_q
    from doudi.accounts.models import User
    from doudi.attachments import services
    from doudi.attachments.models import Attachment, Kind
    from doudi.cases.models import Case

    if Attachment.objects.exists():
        return None
    user = User.objects.filter(username="jingban").first()
    case = Case.objects.filter(region_q("region", DEMO_TOWN), state="approved").select_related("household").first()
    if user is None or case is None:
        return None
    household = case.household
    services.attach(user, household, ContentFile(scan_png(), name="户口簿首页.png"), Kind.HUKOU, "户主页（演示扫描件）")
    made = 1
    head = household.head
    try:
        from doudi.cases.documents import render_pdf

        pdf = render_pdf(AUTHORISATION.format(name=head.name if head else "", masked=head.masked_id if head else "",
                                              day=case.submitted_on.isoformat()))
    except Exception:  # noqa: BLE001 — WeasyPrint without its system libraries: the demo goes on without it
        pdf = None
    if pdf:
        services.attach(user, case, ContentFile(pdf, name="核对授权书.pdf"), Kind.AUTHORISATION, "申请人已签字")
        made += 1
    return f"{made} 份（家庭 {household.number} 的户口簿扫描件" + ("、其低保案件的核对授权书）" if made > 1 else ")")
