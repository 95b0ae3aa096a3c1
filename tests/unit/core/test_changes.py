from qidesk.core.changes import Changes, Entity


def test_of_drops_empty_and_freezes():
    c = Changes.of(created={Entity.PROJECT: ["a"], Entity.MEASURE: []})
    assert c.created == {Entity.PROJECT: frozenset({"a"})}
    assert c.touches(Entity.PROJECT) and not c.touches(Entity.MEASURE)
    assert not c.empty and Changes().empty


def test_ids_and_merge():
    a = Changes.of(created={Entity.PROJECT: ["a"]}, deleted={Entity.TEAM_MEMBER: ["m"]})
    b = Changes.of(updated={Entity.PROJECT: ["b"]})
    m = a.merged(b)
    assert m.ids(Entity.PROJECT) == {"a", "b"}
    assert m.ids(Entity.TEAM_MEMBER) == {"m"}
    assert not m.workspace_replaced


def test_workspace_replaced_touches_everything():
    c = Changes.of(workspace_replaced=True)
    assert all(c.touches(e) for e in Entity)
    assert not c.empty
