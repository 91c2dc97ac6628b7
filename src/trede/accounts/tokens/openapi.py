"""The OpenAPI description of token authentication (drf-spectacular extension)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApplicationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "trede.accounts.tokens.authentication.TokenAuthentication"
    name = "applicatietoken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Applicatietoken van een systeemaccount: `Authorization: Token <geheim>` "
                "(of `Bearer <geheim>`). De beheerder maakt het aan op /toegang/applicaties/; "
                "het token mag wat de rol van het systeemaccount mag, beperkt tot zijn scopes."
            ),
        }
