"""A small RFC 5545 reader written for the tests, independent of icalendar: it unfolds lines,
splits names, parameters and values, nests components, and resolves a local time against the
calendar's own VTIMEZONE (not zoneinfo), so a wrong VTIMEZONE shows up as a wrong instant."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


@dataclass
class Prop:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    props: list[Prop] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    def all(self, name: str) -> list[Prop]:
        return [p for p in self.props if p.name == name]

    def value(self, name: str) -> str | None:
        prop = self.get(name)
        return prop.value if prop else None

    def sub(self, name: str) -> list[Component]:
        return [c for c in self.children if c.name == name]


def _split_params(text: str) -> list[str]:
    parts, buf, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            parts.append(buf)
            buf = ""
        else:
            buf += ch
    parts.append(buf)
    return parts


def parse_line(line: str) -> Prop:
    # the value starts at the first ':' outside double quotes
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            head, value = line[:i], line[i + 1 :]
            break
    else:
        raise ValueError(f"no ':' in {line!r}")
    name, *params = _split_params(head)
    parsed = {}
    for p in params:
        key, _, val = p.partition("=")
        parsed[key.upper()] = val.strip('"')
    return Prop(name.upper(), parsed, value)


def parse(data: bytes) -> Component:
    text = data.decode("utf-8")
    assert "\r\n" in text, "lines must end in CRLF"
    raw_lines = text.split("\r\n")
    for line in raw_lines:
        assert len(line.encode("utf-8")) <= 75, f"line longer than 75 octets: {line!r}"
    unfolded = re.sub(r"\r\n[ \t]", "", text).split("\r\n")
    stack: list[Component] = []
    root: Component | None = None
    for line in unfolded:
        if not line:
            continue
        prop = parse_line(line)
        if prop.name == "BEGIN":
            comp = Component(prop.value.upper())
            if stack:
                stack[-1].children.append(comp)
            else:
                root = comp
            stack.append(comp)
        elif prop.name == "END":
            assert stack and stack[-1].name == prop.value.upper(), f"unbalanced END:{prop.value}"
            stack.pop()
        else:
            stack[-1].props.append(prop)
    assert root is not None and not stack
    return root


def unescape(value: str) -> str:
    return (
        value.replace("\\n", "\n").replace("\\N", "\n").replace("\\,", ",").replace("\\;", ";")
    ).replace("\\\\", "\\")


def _local(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%S")


def _offset(text: str) -> timedelta:
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[3:5])
    return sign * timedelta(hours=hours, minutes=minutes)


def instant(prop: Prop, calendar: Component) -> datetime:
    """The UTC instant of a DTSTART/DTEND, resolving TZID with the calendar's VTIMEZONE."""
    if prop.value.endswith("Z"):
        return datetime.strptime(prop.value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    tzid = prop.params["TZID"]
    (vtz,) = [t for t in calendar.sub("VTIMEZONE") if t.value("TZID") == tzid]
    local = _local(prop.value)
    best: tuple[datetime, timedelta] | None = None
    for part in vtz.children:
        onsets = [_local(part.value("DTSTART"))]
        for rdate in part.all("RDATE"):
            onsets += [_local(v) for v in rdate.value.split(",")]
        for onset in onsets:
            if onset <= local and (best is None or onset > best[0]):
                best = (onset, _offset(part.value("TZOFFSETTO")))
    assert best is not None, f"{tzid} VTIMEZONE does not cover {local}"
    return (local - best[1]).replace(tzinfo=UTC)
