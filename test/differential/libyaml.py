"""libyaml as the oracle for which YAML kubectl loads (go-yaml, kubectl's parser, is a port of libyaml).

Reads a JSON array of texts on stdin (each one `---` chunk, split as kgov splits files) and prints a JSON array with,
per text, either {"documents": [...]} or {"error": message, "line": n, "column": n}. Documents are composed, not
constructed, so that scalars keep their source form and kgov resolves them by its own (kubectl's) rules:
a plain scalar is {"plain": text}, a scalar with an explicit tag {"tag": tag, "value": text}, any other scalar its
string. Mappings are lists of [key, value] pairs in written order with `<<` merges left to the caller.
Run with Debian's python3 (package python3-yaml), whose yaml module has the C loader.
"""
import json
import sys

import yaml
from yaml.cyaml import CParser

PLAIN = "kgov:plain"
QUOTED = "kgov:quoted"


class ComposeOnly(CParser, yaml.resolver.BaseResolver):
    """libyaml's parser and composer with no implicit resolution: plain and quoted scalars keep their style."""

    def __init__(self, stream):
        CParser.__init__(self, stream)
        yaml.resolver.BaseResolver.__init__(self)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode:
            return PLAIN if implicit[0] else QUOTED
        return yaml.resolver.BaseResolver.resolve(self, kind, value, implicit)


def raw(node, active):
    if isinstance(node, yaml.ScalarNode):
        if node.tag == PLAIN:
            return {"plain": node.value}
        if node.tag == QUOTED:
            return node.value
        return {"tag": node.tag, "value": node.value}
    if id(node) in active:
        raise ValueError("recursive alias")
    active.add(id(node))
    try:
        if isinstance(node, yaml.SequenceNode):
            return {"seq": [raw(item, active) for item in node.value], "tag": node.tag}
        return {"map": [[raw(k, active), raw(v, active)] for k, v in node.value], "tag": node.tag}
    finally:
        active.discard(id(node))


def load(text):
    loader = ComposeOnly(text)
    try:
        documents = []
        while loader.check_node():
            documents.append(raw(loader.get_node(), set()))
        return {"documents": documents}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        return {"error": (error.problem or str(error)), "line": mark.line if mark else -1, "column": mark.column if mark else -1}
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return {"error": str(error).split("\n")[0], "line": -1, "column": -1}
    finally:
        loader.dispose()


def main():
    if not getattr(yaml, "__with_libyaml__", False):
        sys.exit("this python's yaml module has no libyaml (install Debian's python3-yaml)")
    sys.setrecursionlimit(20000)
    texts = json.load(sys.stdin)
    sys.stdout.write(json.dumps([load(text) for text in texts]))


main()
