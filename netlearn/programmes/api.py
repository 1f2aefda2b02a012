from ninja import Router

router = Router(tags=["professional learning"])
