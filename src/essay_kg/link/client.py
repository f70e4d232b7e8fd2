"""A polite, robust SPARQL client for public endpoints such as the Wikidata Query Service.

It sends a descriptive User-Agent with a contact URL (the Wikidata usage policy
refuses anonymous clients), POSTs the query as SPARQLWrapper builds the
SPARQL protocol request, sent with a deadline for the whole exchange and a
bound on the answer's bytes (`essay_kg.store.exchange`),
retries with exponential backoff on 429/502/503/504, on time-outs and on
dropped connections, waits as long as a ``Retry-After`` header asks (up to a cap), and
treats an HTTP 200 whose body is empty or not complete JSON as a failed
attempt: the Query Service answers a timed-out query that way.

Answers are cached on disk, one JSON file per (endpoint, query text), so a
rerun of the same lookups needs no network.  Whole JSON that is not the
results asked for is an error and is never cached; a damaged cache entry is
fetched again, and a cache that cannot be written is read only.
"""

from __future__ import annotations

import email.utils
import hashlib
import http.client
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from essay_kg import __version__
from essay_kg.errors import BadInput, EnvironmentProblem

WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"
PROJECT_URL = "https://w3id.org/essay-kg"
RETRY_CODES = {429, 502, 503, 504}


def user_agent(contact: str | None = None) -> str:
    """The User-Agent: tool, version, project URL and the user's contact, as the Wikidata policy asks."""
    who = f"; {contact}" if contact else ""
    return f"essay-kg/{__version__} ({PROJECT_URL}{who})"


class _Retry(Exception):
    """One failed attempt that may succeed if repeated."""

    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class SparqlClient:
    """SELECT queries against one endpoint, with retries and an on-disk cache."""

    endpoint: str = WIKIDATA_SPARQL
    agent: str = field(default_factory=user_agent)
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 2.0
    max_wait: float = 120.0
    cache_dir: Path | None = None
    sleep: Callable[[float], None] = time.sleep
    log: Callable[[str], None] = lambda message: None
    network_calls: int = 0
    cache_hits: int = 0
    cache_read_only: bool = False  # answers are read from the cache but not saved in it

    def select(self, query: str, needs: dict[str, str] | None = None) -> list[dict[str, dict[str, str]]]:
        """The bindings of a SELECT query (SPARQL 1.1 JSON results), from the cache or the endpoint.

        `needs` maps each variable every binding must hold to a pattern its value must match; an answer
        that is no SPARQL JSON results, or lacks one of them, is an error and is never cached.
        """
        cached = self._cache_path(query)
        if cached is not None and cached.is_file():
            try:
                bindings = _bindings(cached.read_bytes(), needs or {})
            except (_Retry, _Malformed, OSError) as problem:  # a damaged entry is fetched again
                self.log(f"ignored the damaged cache entry {cached.name} ({_reason(problem)}); asking the endpoint again")
            else:
                self.cache_hits += 1
                return bindings
        body = self._fetch(query, needs or {})
        bindings = _bindings(body, needs or {})
        if cached is not None and not self.cache_read_only:
            self._save(cached, body)
        return bindings

    def _save(self, cached: Path, body: bytes) -> None:
        from essay_kg.files import write_atomic

        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cached, body)
        except OSError as err:
            self.cache_read_only = True
            self.log(f"cannot save answers in the cache {self.cache_dir} ({err.strerror}); going on without saving")

    def _cache_path(self, query: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode()).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.json"

    def _fetch(self, query: str, needs: dict[str, str]) -> bytes:
        last = ""
        for attempt in range(self.retries + 1):
            try:
                body = self._attempt(query)
                _bindings(body, needs)  # a 200 with an empty or cut-off body is a failed attempt
                return body
            except _Malformed as problem:
                raise EnvironmentProblem(f"{self.endpoint} answered with no usable SPARQL results: {problem.reason}",
                                         "check --endpoint: it must answer SPARQL 1.1 JSON results; the answer was "
                                         "not cached") from None
            except _Retry as problem:
                last = problem.reason
                if attempt == self.retries:
                    break
                wait = problem.wait if problem.wait is not None else self.backoff * 2**attempt
                if wait > self.max_wait:
                    raise EnvironmentProblem(
                        f"{self.endpoint} asks to wait {wait:.0f} s before the next query ({last})",
                        "try again later; answers fetched so far are cached") from None
                self.log(f"{self.endpoint}: {last}; retrying in {wait:g} s")
                self.sleep(wait)
        raise EnvironmentProblem(
            f"the SPARQL endpoint {self.endpoint} did not answer after {self.retries + 1} attempts ({last})",
            "check the network and the --endpoint URL; answers fetched so far are cached, so a rerun resumes")

    def _attempt(self, query: str) -> bytes:
        """One POST of the query, answered in full within the timeout (a deadline for the whole exchange, not
        for each read) and within the bound on an answer's bytes (`essay_kg.store.exchange`)."""
        from essay_kg.store.exchange import AnswerTooLarge, Deadline, exchange, opener

        req = _request(self.endpoint, self.agent, query)
        self.network_calls += 1
        try:
            with Deadline(self.timeout) as deadline:
                return exchange(opener(deadline), req, deadline)
        except AnswerTooLarge as err:
            raise EnvironmentProblem(f"{self.endpoint}: {err}; stopped reading it",
                                     "the linker's queries expect small answers: check --endpoint") from None
        except urllib.error.HTTPError as err:
            page = _first_line(err.read().decode("utf-8", "replace")) if err.code in {400, 500} else ""
            if err.code == 400:
                raise BadInput(f"{self.endpoint} rejected the query as malformed: {page}",
                               "this is a bug in the query the linker sent; please report it") from None
            if err.code == 404:
                raise EnvironmentProblem(f"{self.endpoint}: no SPARQL endpoint at this URL (HTTP 404)",
                                         "check --endpoint, e.g. https://query.wikidata.org/sparql") from None
            if err.code == 500:
                raise _Retry(f"HTTP 500: {page}") from None
            if err.code in RETRY_CODES:
                raise _Retry(f"HTTP {err.code}", retry_after(err.headers.get("Retry-After"))) from None
            if err.code == 403:
                raise EnvironmentProblem(f"{self.endpoint} refused the request (HTTP 403)",
                                         "the service may block this User-Agent; pass --contact with your e-mail or URL"
                                         ) from None
            raise EnvironmentProblem(f"{self.endpoint} answered HTTP {err.code}", "check --endpoint") from None
        except TimeoutError as err:
            raise _Retry(f"timed out: {err}") from None
        except http.client.HTTPException as err:  # e.g. IncompleteRead: the body was cut off
            raise _Retry(f"the answer broke off ({type(err).__name__})") from None
        except OSError as err:  # URLError, refused connections
            reason = getattr(err, "reason", err)
            raise _Retry(f"unreachable: {reason}") from None


def _request(endpoint: str, agent: str, query: str) -> urllib.request.Request:
    """The POST of `query` for JSON results as SPARQLWrapper builds it (its own sending reads with a time-out per
    socket read, not a deadline for the whole answer, so essay-kg sends the request itself)."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    wrapper = SPARQLWrapper(endpoint, agent=agent, returnFormat=JSON)
    wrapper.setMethod(POST)
    wrapper.setQuery(query)
    return wrapper._createRequest()  # the protocol request; SPARQLWrapper 2.x, pinned in pyproject.toml


def _first_line(err: Exception | str) -> str:
    text = str(err).strip().splitlines()
    return text[0][:200] if text else (type(err).__name__ if isinstance(err, Exception) else "")


class _Malformed(Exception):
    """A whole answer that is not the SPARQL JSON results asked for: asking again would not help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _reason(problem: Exception) -> str:
    """Why a cache entry cannot be read, in a few words."""
    if isinstance(problem, _Retry):
        return "empty, cut off or not JSON"
    return getattr(problem, "reason", None) or getattr(problem, "strerror", None) or type(problem).__name__


def _bindings(body: bytes, needs: dict[str, str] | None = None) -> list[dict[str, dict[str, str]]]:
    """Parse SPARQL JSON results; an empty or truncated body raises a retryable failure, whole JSON of another
    shape (or without a variable of `needs`, or a value not matching its pattern) a `_Malformed`."""
    if not body.strip():
        raise _Retry("HTTP 200 with an empty body")
    try:
        answer: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _Retry(f"HTTP 200 with a truncated or invalid body ({len(body)} bytes)") from None
    except RecursionError:
        raise _Malformed("JSON nested too deeply") from None
    results = answer.get("results") if isinstance(answer, dict) else None
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise _Malformed("no list of bindings under 'results'")
    for number, row in enumerate(bindings, start=1):
        if not isinstance(row, dict) or not all(isinstance(term, dict) and isinstance(term.get("value"), str)
                                                for term in row.values()):
            raise _Malformed(f"binding {number} is not a map of variables to terms with a 'value'")
        for name, pattern in (needs or {}).items():
            if name not in row:
                raise _Malformed(f"binding {number} has no '{name}'")
            if not re.fullmatch(pattern, row[name]["value"], re.DOTALL):
                raise _Malformed(f"binding {number}: '{row[name]['value'][:80]}' is not a fitting '{name}'")
    return bindings
