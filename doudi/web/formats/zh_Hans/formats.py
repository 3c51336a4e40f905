"""zh_Hans formats: Django's own, except that dates in form fields are written YYYY-MM-DD first.

An <input type="date"> takes only YYYY-MM-DD (HTML's valid date string): Django's zh_Hans puts
"%Y/%m/%d" first, so every DateInput rendered its value as 2026/12/03 and the browser showed an
empty field (issue 9). This one setting serves every date input of the application; the other
forms (2026/12/03, 2026年12月3日) are still accepted when typed.
"""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATES
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DATETIMES

DATE_INPUT_FORMATS = ["%Y-%m-%d", *[f for f in _DATES if f != "%Y-%m-%d"]]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M", *[f for f in _DATETIMES if f != "%Y-%m-%d %H:%M"]]
