"""A 405 under /api/ names the methods the path allows (the error's shape: the contract suite)."""


def test_405_says_which_methods_are_allowed(client):
    resp = client.get("/api/v1/sync/push")
    assert "POST" in resp.headers["Allow"]
