"""/docs: Swagger UI from an installed package, served from here (no CDN, works offline).

FastAPI's own /docs loads Swagger UI from a CDN; create_app turns it off and includes this
router. The files come from fastapi-offline, which ships Swagger UI 5 (the swagger-ui-bundle
package's Swagger UI 4 cannot read the OpenAPI 3.1 that FastAPI writes); only its files are
used. The page's one inline script is allowed by its hash in the page's own policy.
"""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse
from .security import content_security_policy

router = APIRouter(include_in_schema=False)

SWAGGER_UI = files("fastapi_offline") / "static"
ASSETS = {"swagger-ui.css": "text/css; charset=utf-8", "swagger-ui-bundle.js": "text/javascript; charset=utf-8"}

# Relative URLs, as on the page: /docs resolves them next to itself, behind any path prefix.
INIT_SCRIPT = """
SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(INIT_SCRIPT.encode()).digest()).decode()
CSP = content_security_policy(script_hashes=(SCRIPT_HASH,))

PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Backprop Lab API</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/assets/swagger-ui-bundle.js"></script>
  <script>{INIT_SCRIPT}</script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    """The API's interactive documentation (Swagger UI)."""
    return HTMLResponse(PAGE, headers={"content-security-policy": CSP})


@router.get("/docs/assets/{name}")
def asset(name: str) -> FileResponse:
    """One of Swagger UI's files, from the installed package."""
    if name not in ASSETS:
        raise HTTPException(404, "Not Found")
    return FileResponse(SWAGGER_UI / name, media_type=ASSETS[name])
