"""Looks up a Mage pipeline this stack does not manage, through an explicit provider.

`get` reads the object on the server by its id (for a Mage pipeline, its uuid) and
changes nothing there; the explicit provider takes its target from this program
rather than from stack config pipelines:mage (here from config of its own,
`lookup:*`, the password as a secret, so state holds it encrypted).
"""
import pulumi
import pulumi_pipelines as pipelines
from pulumi_pipelines import mage

config = pulumi.Config("lookup")

warehouse = pipelines.Provider(
    "warehouse",
    mage={
        "url": config.require("url"),
        "email": config.require("email"),
        "password": config.require_secret("password"),
    },
)

found = mage.Pipeline.get(
    "found",
    config.require("uuid"),
    opts=pulumi.ResourceOptions(provider=warehouse),
)

pulumi.export("name", found.name)
pulumi.export("description", found.description)
pulumi.export("tags", found.tags)
