"""Application tokens: how systems (BI tools, other municipal systems) use the API.

A token belongs to a system account, a `User` with a role like a person's, so the one
declaration of permissions and `client_scope` apply to it unchanged; the token's scopes
(`scopes.py`) can only narrow what that role may do, never widen it. Only a hash of the
secret is stored (decision 110).
"""
