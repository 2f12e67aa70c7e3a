"""create_app(settings): the one place that wires the store, the services, the routes, the error
handlers and the middleware."""

from __future__ import annotations

import logging
import sqlite3

import anyio
import psycopg
from litestar import Litestar, MediaType, Router, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, Reference, SecurityScheme

from . import rules
from .auth.controller import AuthController
from .auth.service import AuthService
from .auth.sessions import Sessions, provide_household_session, provide_session
from .changes.controller import ChangesController
from .changes.service import ChangeService
from .childcare.controller import ChildcareController
from .childcare.service import ChildcareService
from .feeds.controller import FeedsController
from .feeds.service import FeedService
from .household.controller import HouseholdController
from .household.recalc import Recalc
from .household.service import HouseholdService
from .income.controller import IncomeController
from .income.service import IncomeService
from .jobs import registry
from .jobs.schedule import Scheduler
from .prompts.controller import PromptsController
from .prompts.service import PromptService
from .push.controller import PushController
from .push.service import PushService
from .repayments.controller import RepaymentsController
from .repayments.service import RepaymentService
from .settings import Settings
from .store import Store
from .store.migrate import migrate
from .web import client, openapi, problems
from .web.body import check_body
from .web.csrf import make_guard
from .web.headers import make_security_headers_hook
from .web.static import make_static_handlers
from .years.controller import YearsController
from .years.service import YearService

FEED_MAX_BODY = 1024 * 1024


@get("/ping", media_type=MediaType.TEXT, summary="Hello world (the benchmark's baseline)", tags=["ops"])
async def ping() -> str:
    return "hello world"


def _service(name: str) -> Provide:
    """The dependency `di_<name>`: the object registered under `name` in the app's state (the one
    registry of the services; guards, which get no dependencies, and the tests read it there too)."""
    def provide(state: State) -> object:
        return state[name]
    return Provide(provide, use_cache=True, sync_to_thread=False)


def dependencies(sessions: Sessions, names: list[str]) -> dict[str, Provide]:
    """Every dependency is named `di_<name>`. Litestar reports a validation error of a top-level body
    field by the field's name, and takes a name that is also a dependency's for a failed dependency: a
    500 instead of the 400. No body field starts with `di_` (tests/api/test_web.py checks every route)."""
    deps = {f"di_{name}": _service(name) for name in names}
    # they read the session on the event loop (Store.fetch): every request of a household asks for it
    deps["di_session"] = Provide(provide_session(sessions))
    deps["di_household_session"] = Provide(provide_household_session(sessions))
    return deps


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    client.networks(settings.trusted_proxies)  # a wrong TOESLAGEN_TRUSTED_PROXIES fails here, at start
    store = Store(settings.db_path)
    sessions = Sessions(store, settings)
    # who needs whom: changes, childcare and income recalculate through `recalc`; the income scan
    # follows every recalculation as its hook (so changes never import income)
    recalc = Recalc(store, settings)
    changes = ChangeService(store, settings, recalc)
    income = IncomeService(store, settings, changes)
    recalc.add_hook(income.after_change)
    services = {
        "settings": settings,
        "store": store,
        "sessions": sessions,
        "auth": AuthService(store, settings, sessions),
        "households": HouseholdService(store, settings),
        "changes": changes,
        "childcare": ChildcareService(store, settings, recalc),
        "feeds": FeedService(store, settings),
        "prompts": PromptService(store, settings),
        "income": income,
        "push": PushService(store, settings),
        "years": YearService(store, settings),
        "repayments": RepaymentService(store, settings),
    }

    api = Router(
        path="/api",
        route_handlers=[AuthController, HouseholdController, ChangesController, ChildcareController, PromptsController,
                        IncomeController, PushController, YearsController, RepaymentsController, ping],
        guards=[make_guard(settings)],
        request_max_body_size=settings.max_body_size,
    )
    feeds = Router(path="/", route_handlers=[FeedsController], request_max_body_size=FEED_MAX_BODY)

    scheduler = Scheduler(store, settings, registry.jobs()) if settings.run_jobs else None

    def startup() -> None:
        migrate(settings.db_path)
        if scheduler is not None:
            scheduler.start()

    async def shutdown() -> None:
        if scheduler is not None:
            await anyio.to_thread.run_sync(scheduler.stop)
        await store.aclose()
        store.close()

    # (a dict of the wider value type Components declares: dict is invariant)
    security_schemes: dict[str, SecurityScheme | Reference] = dict(openapi.security_schemes(settings.session_cookie_name))
    app = Litestar(
        route_handlers=[api, feeds, *make_static_handlers(settings)],
        state=State(services),
        dependencies=dependencies(sessions, list(services)),
        exception_handlers={
            problems.Problem: problems.handle_problem,
            ValidationException: problems.handle_validation,
            HTTPException: problems.handle_http,
            rules.InputError: problems.handle_input_error,
            RecursionError: problems.handle_recursion,
            sqlite3.OperationalError: problems.handle_database_error,
            psycopg.OperationalError: problems.handle_database_error,
            Exception: problems.handle_unexpected,
        },
        before_send=[make_security_headers_hook(settings)],
        before_request=check_body,
        plugins=openapi.plugins(),
        request_max_body_size=settings.max_body_size,
        openapi_config=OpenAPIConfig(
            title="Toeslagen API", version="0.1.0", render_plugins=[JsonRenderPlugin()],
            # /schema/<anything else> answered with Litestar's HTML 404 page: a problem+json instead
            openapi_router=Router(path="/schema", route_handlers=[], include_in_schema=False,
                                  after_request=problems.html_404_to_problem),
            description="The API behind the toeslagen PWA. Errors are RFC 9457 problem+json. Household routes "
                        "take the household from the session cookie; state-changing requests need an "
                        "X-Requested-With header; the changing requests that list an Idempotency-Key header "
                        "honour it.",
            # each operation's `security` is read from its guards and dependencies (web/openapi.py)
            components=Components(security_schemes=security_schemes),
        ),
        on_startup=[startup],
        on_shutdown=[shutdown],
        debug=False,
    )
    logging.getLogger("api").setLevel(logging.INFO)
    return app
