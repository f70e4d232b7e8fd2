"""Where the dependency parse puts a stance predicate's holder, target, negation and condition.

The readers of `essay_kg.extract.predicates` ask these questions of spaCy tokens: the subject tokens
(each of coordinated subjects, the agent of a passive, the subject of the verb a predicate depends on,
the possessor of a noun), the target tokens (the object, a complement the rule names, the passive
subject, a clausal complement, the noun a relative clause is about), the word that negates a
predicate, and the "if"/"unless" clause it depends on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from essay_kg.extract.rules.predicates import PredicateRule

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
OBJECTS = {"dobj", "obj", "attr", "oprd"}
CLAUSES = {"xcomp", "ccomp"}
RELATIVE = {"WDT", "WP", "WP$"}  # "that", "which", "who", "whose" opening a relative clause
CONTROL = {"xcomp", "conj", "advcl", "acl", "relcl"}  # a verb that takes its subject from the verb it depends on
CONDITIONS = {"if", "unless"}
AMOUNTS = {"MONEY", "QUANTITY", "CARDINAL", "PERCENT"}  # named-entity labels of an amount given, not a thing supported
AFFIRMED_BY_NEGATION = ("hesitate", "fail")  # "will not hesitate to act", "never fail to act": they act
FRAMING = {"advmod", "preconj", "predet", "neg", "cc", "punct", "det", "poss"}  # words that only frame a noun phrase


def phrase_start(token: Token) -> Token:
    """The first word of a noun phrase after the words that only frame it ("not only the new order": "new")."""
    for word in token.subtree:
        if word.i >= token.i or word.dep_ not in FRAMING:
            return word
    return token


def conjuncts(token: Token) -> list[Token]:
    """A phrase's head and those of the phrases listed after it: joined by "and", "or", commas (an item the parse
    reads as an apposition: "the shelling, the mass arrests"), or semicolons."""
    found = [token, *[c for c in token.conjuncts if c.i > token.i]]
    listed = [a for c in found for a in c.children if a.dep_ == "appos" and a.i > c.i and a.nbor(-1).text != "("
              and any(d.dep_ == "det" for d in a.children) and c.pos_ == "NOUN"]  # "the X, the Y", not a name's title
    found = sorted({t.i: t for t in [*found, *[t for a in listed for t in (a, *a.conjuncts) if t.i > token.i]]}.values(),
                   key=lambda t: t.i)
    return found + semicolon_items(found[-1])


def semicolon_items(token: Token) -> list[Token]:
    """The heads of the nouns a list goes on with after a phrase, item by item after semicolons, to the end of the
    sentence ("vulnerable to piracy; banditry; and smuggling"); none if an item is no noun phrase."""
    doc, sent = token.doc, token.sent
    end, items = token.right_edge.i + 1, []
    while end < sent.end and doc[end].text == ";":
        start = end + 1
        stop = next((t.i for t in doc[start:sent.end] if t.text == ";"), sent.end)
        words = [t for t in doc[start:stop] if not t.is_punct and not t.is_space and t.lower_ not in {"and", "or"}]
        heads = [t for t in words if not start <= t.head.i < stop]
        if len(heads) != 1 or heads[0].pos_ not in {"NOUN", "PROPN"}:
            return []
        items.append(heads[0])
        end = stop
    return items


def subject_tokens(token: Token) -> list[Token]:
    """The subject tokens of a predicate: its own, the agent of a passive, or those of the verb it depends on."""
    current = token
    for _ in range(4):
        if current.pos_ in {"NOUN", "PROPN"} and current.dep_ not in {"dobj", "attr"}:
            owners = [c for c in current.children if c.dep_ == "poss"]
            if owners:
                return conjuncts(owners[0])
        agents = [p for c in current.children if c.dep_ == "agent" and current.pos_ == "VERB"  # not "concerned by X"
                  for p in c.children if p.dep_ == "pobj"]
        if agents:
            return conjuncts(agents[0])
        subjects = [c for c in current.children if c.dep_ in {"nsubj", "csubj"}]
        if subjects:
            return conjuncts(subjects[0])
        if current.pos_ == "NOUN" and current.dep_ in {"dobj", "attr"}:  # "we give our support to X", "our commitment"
            owners = [c for c in current.children if c.dep_ == "poss"]
            if owners:
                return conjuncts(owners[0])
        if current.dep_ not in CONTROL and not (current.pos_ == "NOUN" and current.dep_ in {"dobj", "pobj", "attr"}) \
                and not (current.pos_ == "ADJ" and current.dep_ == "acomp") \
                and not (current.pos_ == "ADP" and current.dep_ == "prep"):  # "we are concerned about X", "against X"
            return []
        current = current.head
    return []


FIRST_PERSON = {"i", "we"}


def anothers_view(verb: Token) -> bool:
    """Whether a modal's verb is the clause of a verb whose subject is someone other than the author ("critics
    say that Chad should leave the union": their prescription, not the author's)."""
    if verb.dep_ != "ccomp" or verb.head.i == verb.i:
        return False
    subjects = [c for c in verb.head.children if c.dep_ == "nsubj"]
    return bool(subjects) and subjects[0].lower_ not in FIRST_PERSON


def imperative_us(token: Token) -> bool:
    """ "let us support X": the author's side speaks."""
    head = token.head if token.dep_ in {"ccomp", "xcomp"} else token
    return head.lemma_ == "let" and any(c.lower_ == "us" for c in head.children)


def target_tokens(token: Token, rule: PredicateRule) -> list[Token]:
    """The target tokens: the object (each of coordinated objects), a prepositional complement the rule
    names, the passive subject, or the head of a clausal complement."""
    if rule.target == "subject":
        subjects = [c for c in token.children if c.dep_ in SUBJECTS]
        if not subjects and token.dep_ == "attr" and token.head.lemma_ == "be":  # "X is a mistake"
            subjects = [c for c in token.head.children if c.dep_ in SUBJECTS]
        if not subjects and token.dep_ in {"acomp", "amod"} and token.head.pos_ in {"AUX", "VERB", "NOUN"}:
            subjects = [token.head] if token.dep_ == "amod" else [c for c in token.head.children if c.dep_ in SUBJECTS]
        return [t for s in subjects[:1] for t in conjuncts(s)]
    if rule.object_lemmas:
        return through_object(token, rule)
    if token.pos_ == "ADP":  # "we are against X"
        return [t for c in token.children if c.dep_ == "pobj" for t in conjuncts(c)]
    passive = [c for c in token.children if c.dep_ == "nsubjpass"]
    if passive and token.pos_ == "VERB":
        return conjuncts(passive[0])
    clauses = [c for c in token.children if c.dep_ in CLAUSES and c.pos_ in {"VERB", "AUX"}]
    objects = [c for c in token.children if c.dep_ in OBJECTS]
    if rule.clauses and clauses and token.pos_ == "VERB":
        return [clauses[0]]  # "ask Congress to approve X": what is asked for, not whom
    if token.dep_ == "relcl" and token.pos_ == "VERB" and rule.objects and all(o.tag_ in RELATIVE for o in objects) \
            and any(c.dep_ == "nsubj" and c.tag_ not in RELATIVE for c in token.children):
        return [token.head]  # "the new order (that) we seek": the noun the clause is about is its object
    objects = [o for o in objects if not any(t.ent_type_ in AMOUNTS for t in o.subtree)]  # "pledged 50 million euros to X"
    if objects and token.pos_ == "VERB" and rule.objects:  # a second object after a comma: the list goes on
        more = [o for o in objects[1:] if o.i > objects[0].i and o.left_edge.nbor(-1).text == ","]
        return list({t.i: t for o in (objects[0], *more) for t in conjuncts(o)}.values())
    infinitives = [c for c in clauses if any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]  # not "that …"
    subjects = [s for c in infinitives for s in c.children if s.dep_ == "nsubj" and s.pos_ in {"NOUN", "PROPN"}]
    if subjects and token.pos_ == "VERB" and rule.objects and not objects:
        return conjuncts(subjects[0])  # "helping the people of Chad to rebuild", parsed as the clause's subject
    for prep in (c for c in token.children if c.dep_ in {"prep", "dative", "agent"} and c.lower_ in rule.preps):
        pobj = [c for c in prep.children if c.dep_ in {"pobj", "pcomp"}]
        if pobj:
            return conjuncts(pobj[0])
    return []


def through_object(token: Token, rule: PredicateRule) -> list[Token]:
    """Whom a verb is for or against through what it does ("provided military aid to Chad", "sent 2 billion dollars
    in aid to Chad", "launched an invasion of Chad"), when its object is one of the rule's `object_lemmas`: the
    complement of one of its prepositions, after the verb or after the object."""
    objects = [c for c in token.children if c.dep_ in OBJECTS][:1]
    inside = [p for t in (token, *objects) for c in t.children if c.dep_ == "prep" and c.lower_ in {"in", "of"}
              for p in c.children if p.dep_ == "pobj"]  # "2 million dollars in (military) aid"
    kinds = [t for t in (*objects, *inside) if t.lemma_.lower() in rule.object_lemmas] if objects else []
    if not kinds:
        return []
    for prep in (c for t in (token, kinds[0]) for c in t.children if c.dep_ in {"prep", "dative"} and c.lower_ in rule.preps):
        pobj = [c for c in prep.children if c.dep_ == "pobj"]
        if pobj:
            return conjuncts(pobj[0])
    return []


def negating_word(token: Token) -> Token | None:
    """The word that negates a predicate: its own "not"/"never", that of its auxiliaries or of the verb it
    depends on ("we will not help to sustain"), or "no" before a noun ("no support for")."""
    current = token
    for _ in range(3):
        if current is not token and current.lemma_.lower() in AFFIRMED_BY_NEGATION:
            return None  # "we will not hesitate to raise the cost": the two negations affirm
        for child in current.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
                return child
            if child.dep_ in {"nsubj", "nsubjpass"}:  # "Neither Togo nor Benin supports X"
                neither = [c for c in child.children if c.dep_ in {"preconj", "det"} and c.lower_ == "neither"]
                if neither:
                    return neither[0]
            if child.dep_ in {"aux", "auxpass"} and child.lower_ == "cannot":
                return child
        if current.dep_ not in {"xcomp"} or current.head.i == current.i:
            break
        current = current.head
    return None


def condition_clause(token: Token) -> list[Token] | None:
    """The tokens of an "if"/"unless" clause that the predicate (or its governing verb) depends on."""
    current = token
    for _ in range(3):
        for child in current.children:
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONS for m in child.children):
                return list(child.subtree)
        if current.dep_ not in CONTROL or current.head.i == current.i:
            break
        current = current.head
    return None


def earlier_subject(pronoun: Token) -> Token | None:
    """The subject "they" stands for: that of the clause its verb is coordinated with ("the rebels support X,
    and they oppose Y"), else that of the sentence before in the block; never another pronoun."""
    verb = pronoun.head
    if verb.dep_ == "conj":
        subjects = [c for c in verb.head.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ != "PRON"]
        if subjects:
            return subjects[0]
    start = pronoun.sent.start
    if start == 0:
        return None
    root = pronoun.doc[start - 1].sent.root
    subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"} and c.pos_ in {"NOUN", "PROPN"}]
    return subjects[0] if subjects and subjects[0].tag_ in {"NNS", "NNPS"} else None
