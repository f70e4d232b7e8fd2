"""External triplestores: where their endpoints are, how to log in, and plain HTTP with clear errors.

A store is named by its SPARQL query endpoint (what every store advertises) and
a profile that knows where the same store keeps its update endpoint and its
Graph Store Protocol endpoint, and how to make the default graph the union of
the named graphs (the stored queries expect that, as local runs do):

============  ==========================  ==================  ===============================
profile       query endpoint              update              graph store (GSP)
============  ==========================  ==================  ===============================
oxigraph      ``http://host:7878/query``   ``/update``         ``/store``
virtuoso      ``http://host:8890/sparql``  ``/sparql-auth``    ``/sparql-graph-crud-auth``
fuseki        ``http://host:3030/ds/query`` ``/ds/update``     ``/ds/data``
graphdb       ``http://host:7200/repositories/r``  ``…/statements``  ``…/rdf-graphs/service``
generic       any; ``--update-endpoint`` and ``--store-endpoint`` say the rest
============  ==========================  ==================  ===============================

Credentials come from the environment (``ESSAY_KG_STORE_USER`` and
``ESSAY_KG_STORE_PASSWORD``) or from a netrc file (``$NETRC`` or ``~/.netrc``),
never from the command line, and are never printed.  Basic and digest
authentication are both answered, whichever the server asks for.
"""

from __future__ import annotations

import base64
import http.client
import netrc
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from essay_kg import __version__
from essay_kg.errors import BadInput, EnvironmentProblem
from essay_kg.store.exchange import LIMIT_VAR, AnswerTooLarge, Deadline, exchange
from essay_kg.store.exchange import opener as deadline_opener

USER_VAR, PASSWORD_VAR = "ESSAY_KG_STORE_USER", "ESSAY_KG_STORE_PASSWORD"
STORES = ("oxigraph", "virtuoso", "fuseki", "graphdb", "generic")
USUAL_PATHS = {
    "oxigraph": "http://HOST:7878/query", "virtuoso": "http://HOST:8890/sparql",
    "fuseki": "http://HOST:3030/DATASET/query", "graphdb": "http://HOST:7200/repositories/REPOSITORY",
    "generic": "the store's SPARQL query endpoint",
}
AGENT = f"essay-kg/{__version__} (https://w3id.org/essay-kg)"


@dataclass(frozen=True)
class Store:
    """Where one triplestore answers queries, updates and Graph Store Protocol requests."""

    kind: str
    query_url: str
    update_url: str | None
    gsp_url: str | None
    query_params: tuple[tuple[str, str], ...] = ()  # e.g. Oxigraph's union-default-graph
    update_batch: int = 2000  # triples per INSERT DATA; Virtuoso's SQL compiler takes far fewer

    def graph_url(self, graph: str) -> str:
        assert self.gsp_url is not None
        return f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"

    @property
    def usual(self) -> str:
        return USUAL_PATHS[self.kind]


def guess_kind(url: str) -> str:
    """The store profile a query URL suggests (``generic`` when it suggests none)."""
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    if path == "/query":
        return "oxigraph"
    if path == "/sparql":
        return "virtuoso"
    if re.fullmatch(r"/repositories/[^/]+", path):
        return "graphdb"
    if re.fullmatch(r"/[^/]+/(query|sparql)", path):
        return "fuseki"
    return "generic"


_GIVEN: dict[tuple[str, str, int | None], tuple[str, str]] = {}  # credentials written in a URL, by server


def without_userinfo(url: str) -> str:
    """`url` with any ``user:password@`` taken out (and kept as the credentials for its server), so that
    it is never printed and the host is the host."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and "@" not in parts.netloc:
        return url
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        port = None
    _GIVEN[(parts.scheme, host, port)] = (urllib.parse.unquote(parts.username or ""),
                                          urllib.parse.unquote(parts.password or ""))
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port else "")
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def store_for(endpoint: str, kind: str | None = None, update_url: str | None = None,
              gsp_url: str | None = None) -> Store:
    """The store behind a query endpoint, with its update and GSP endpoints derived by profile. Credentials
    written in a URL are taken out of it (see `without_userinfo`)."""
    endpoint = without_userinfo(endpoint)
    update_url = without_userinfo(update_url) if update_url else update_url
    gsp_url = without_userinfo(gsp_url) if gsp_url else gsp_url
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise BadInput(f"'{endpoint}' is not an http(s) URL", f"give the store's query endpoint, e.g. {USUAL_PATHS['oxigraph']}")
    kind = kind or guess_kind(endpoint)
    if kind not in STORES:
        raise BadInput(f"unknown store '{kind}'", f"use one of {', '.join(STORES)}")
    base = endpoint.rstrip("/")
    params: tuple[tuple[str, str], ...] = ()
    derived: tuple[str | None, str | None] = (None, None)
    if kind == "oxigraph":
        root = base.removesuffix("/query")
        derived, params = (f"{root}/update", f"{root}/store"), (("union-default-graph", ""),)
    elif kind == "virtuoso":
        root = base.removesuffix("/sparql")
        derived = (f"{root}/sparql-auth", f"{root}/sparql-graph-crud-auth")
    elif kind == "fuseki":
        root = re.sub(r"/(query|sparql)$", "", base)
        derived = (f"{root}/update", f"{root}/data")
    elif kind == "graphdb":
        derived = (f"{base}/statements", f"{base}/rdf-graphs/service")
    return Store(kind, endpoint, update_url or derived[0], gsp_url or derived[1], params,
                 250 if kind == "virtuoso" else 2000)


def credentials(url: str) -> tuple[str, str] | None:
    """(user, password) for a URL's host: written in the URL given, else from the environment, else from a
    netrc file."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if (parts.scheme, parts.hostname or "", port) in _GIVEN:
        return _GIVEN[(parts.scheme, parts.hostname or "", port)]
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if user and password is not None:
        return user, password
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(urllib.parse.urlsplit(url).hostname or "")
    except netrc.NetrcParseError as err:  # its message quotes the file's words: a password, perhaps
        raise BadInput(f"{path}: cannot read the netrc file (a malformed entry at line {err.lineno})",
                       f"fix it, or set {USER_VAR} and {PASSWORD_VAR} instead") from None
    except OSError as err:
        raise BadInput(f"{path}: cannot read the netrc file ({err.strerror})",
                       f"fix it, or set {USER_VAR} and {PASSWORD_VAR} instead") from None
    if entry is None:
        return None
    login, _, password = entry
    return (login or "", password or "")


def opener(url: str, deadline: Deadline) -> urllib.request.OpenerDirector:
    """A urllib opener that answers basic and digest challenges with the credentials for `url`, and keeps to
    `deadline`."""
    handlers: list[urllib.request.BaseHandler] = []
    found = credentials(url)
    if found is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        parts = urllib.parse.urlsplit(url)
        manager.add_password(None, f"{parts.scheme}://{parts.netloc}/", *found)
        handlers += [urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager)]
    return deadline_opener(deadline, *handlers)


def http_error(store: Store, url: str, err: Exception) -> EnvironmentProblem:
    """One line and a hint for a failed request to a store."""
    if isinstance(err, urllib.error.HTTPError):
        code, body = err.code, _short(err)
        if code == 401:
            if credentials(url) is None:
                return EnvironmentProblem(f"{url}: HTTP 401, the store needs credentials",
                                          f"set {USER_VAR} and {PASSWORD_VAR}, or add a ~/.netrc entry for the host")
            return EnvironmentProblem(f"{url}: HTTP 401, the store refused the credentials",
                                      f"check {USER_VAR} and {PASSWORD_VAR} (or the ~/.netrc entry for the host)")
        if code == 403:
            return EnvironmentProblem(f"{url}: HTTP 403, the store forbids this" + (f" ({body})" if body else ""),
                                      f"the server may be read-only, or the account ({USER_VAR} or ~/.netrc) may not "
                                      "write; use one that can")
        if code == 404:
            return EnvironmentProblem(f"{url}: HTTP 404, no such endpoint on this server",
                                      f"a {store.kind} store's query endpoint is usually {store.usual}; pass --store if "
                                      "the URL's shape misled the guess")
        return EnvironmentProblem(f"{url}: HTTP {code}" + (f": {body}" if body else ""),
                                  "see the store's log; the request was valid SPARQL/RDF from essay-kg")
    if isinstance(err, urllib.error.URLError):
        err = err.reason if isinstance(err.reason, Exception) else err
    if isinstance(err, AnswerTooLarge):
        return EnvironmentProblem(f"{url}: {err}; stopped reading it",
                                  f"ask for less (a LIMIT), or raise the bound with {LIMIT_VAR}=MEBIBYTES")
    if isinstance(err, TimeoutError):
        return EnvironmentProblem(f"{url}: the store did not answer in time ({err})",
                                  "check the store's load; push takes --timeout SECONDS for a slow store (queries wait "
                                  "60 s)")
    if isinstance(err, ConnectionRefusedError):
        return EnvironmentProblem(f"{url}: connection refused", "start the store, or check the host and port")
    reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return EnvironmentProblem(f"{url}: cannot reach the store ({reason})", "check the URL, the network and the store")


def _short(err: urllib.error.HTTPError) -> str:
    try:
        text = err.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        return ""
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.split())[:160]


def request(store: Store, url: str, method: str, data: bytes | None = None, content_type: str | None = None,
            accept: str | None = None, timeout: float = 60.0, shown: str | None = None) -> bytes:
    """One HTTP request to a store, answered in full within `timeout` seconds and within the bound on an
    answer's bytes (`essay_kg.store.exchange`); every failure becomes an EnvironmentProblem naming the URL."""
    headers = {"User-Agent": AGENT}
    if content_type:
        headers["Content-Type"] = content_type
    if accept:
        headers["Accept"] = accept
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with Deadline(timeout) as deadline:
        try:
            if data is not None:
                _preauthorize(req, deadline)
            return exchange(opener(url, deadline), req, deadline)
        except (OSError, http.client.HTTPException, AnswerTooLarge) as err:
            raise http_error(store, shown or url, err) from None


def _preauthorize(req: urllib.request.Request, deadline: Deadline) -> None:
    """Answer the server's challenge before sending a body.

    Sent unauthenticated, a large body meets a 401 that the server may answer by
    closing the connection mid-upload (Virtuoso does), so a bodiless probe fetches
    the challenge first and the real request carries its Authorization header.
    """
    found = credentials(req.full_url)
    if found is None:
        return
    probe = urllib.request.Request(req.full_url, method="HEAD", headers={"User-Agent": AGENT})
    try:
        exchange(deadline_opener(deadline), probe, deadline)
        return  # no challenge: nothing to answer
    except urllib.error.HTTPError as err:
        challenge = err.headers.get("WWW-Authenticate", "") if err.code == 401 else ""
    scheme, _, params = challenge.partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{found[0]}:{found[1]}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    elif scheme.lower() == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, req.full_url, *found)
        handler = urllib.request.HTTPDigestAuthHandler(manager)
        chal = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(params)))
        value = handler.get_authorization(req, chal)
        if value:
            req.add_header("Authorization", f"Digest {value}")
