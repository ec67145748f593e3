"""Configuration comes from the environment and fails loudly, naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from factcheck import env

ROOT = Path(__file__).resolve().parent.parent


def test_database_defaults_to_sqlite_in_var_with_wal_and_immediate_transactions(tmp_path):
    config = env.database_from_env(tmp_path, environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "factcheck.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5


def test_database_url_selects_postgresql(tmp_path):
    config = env.database_from_env(
        tmp_path, environ={"DATABASE_URL": "postgres://news:pw@db.internal:5433/factcheck"}
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "factcheck")
    assert config["OPTIONS"]["server_side_binding"]  # statements can be prepared
    assert config["OPTIONS"]["prepare_threshold"] == 5


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(tmp_path):
    config = env.database_from_env(
        tmp_path,
        environ={
            "DATABASE_URL": "postgres://news@pgbouncer:6432/factcheck",
            "DATABASE_PREPARED_STATEMENTS": "false",
        },
    )
    assert not config["OPTIONS"]["server_side_binding"]
    assert config["OPTIONS"]["prepare_threshold"] is None


@pytest.mark.parametrize("url", ["mysql://root@localhost/x", "not a url", "sqlite://:memory:"])
def test_bad_database_url_names_the_variable(tmp_path, url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database_from_env(tmp_path, environ={"DATABASE_URL": url})


def test_broker_defaults_to_the_filesystem_under_var(tmp_path):
    url, options = env.broker_from_env(tmp_path, environ={})
    assert url == "filesystem://"
    assert options["data_folder_in"] == options["data_folder_out"]
    for folder in ("data_folder_in", "processed_folder", "control_folder"):
        assert Path(options[folder]).is_relative_to(tmp_path), folder
    assert not (tmp_path / "broker").exists()  # the Celery app makes them, not settings
    assert env.broker_folders(options) == sorted(
        {Path(options[name]) for name in ("data_folder_in", "processed_folder", "control_folder")}
    )


def test_broker_url_selects_rabbitmq(tmp_path):
    url = "amqp://guest:guest@localhost//"
    assert env.broker_from_env(tmp_path, environ={"CELERY_BROKER_URL": url}) == (url, {})


def test_on_redis_a_job_whose_worker_died_comes_back_after_the_given_timeout(tmp_path):
    url = "redis://127.0.0.1:6379/0"
    environ = {"CELERY_BROKER_URL": url}
    broker, options = env.broker_from_env(tmp_path, environ=environ, visibility_timeout=250)
    assert broker == url
    assert options["visibility_timeout"] == 250  # not kombu's hour
    assert options["unacked_restore_interval"] * options["unacked_restore_throttle"] == 10


def test_bad_broker_url_names_the_variable(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="CELERY_BROKER_URL"):
        env.broker_from_env(tmp_path, environ={"CELERY_BROKER_URL": "kafka://localhost"})


def test_secret_key_is_generated_once_into_var(tmp_path):
    first = env.secret_key_from_env(tmp_path, environ={})
    assert len(first) >= 50
    assert env.secret_key_from_env(tmp_path, environ={}) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_never_generates_a_secret_key(tmp_path):
    with pytest.raises(ImproperlyConfigured) as error:
        env.secret_key_from_env(tmp_path, environ={}, production=True)
    assert str(error.value) == env.HTTPS_NEEDS_A_SET_KEY
    assert not (tmp_path / "secret_key").exists()


def test_settings_create_no_folders(tmp_path):
    var = tmp_path / "never-made"
    result = manage("check", FACTCHECK_VAR_DIR=str(var), SECRET_KEY="s" * 50)
    assert result.returncode == 0, result.stderr
    assert not var.exists()


def test_a_deployment_behind_https_without_a_secret_key_stops_naming_it(tmp_path):
    environ = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**environ, "SECURE_HTTPS": "true", "FACTCHECK_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_secret_key_from_the_environment_wins(tmp_path):
    key = "k" * 40
    assert env.secret_key_from_env(tmp_path, environ={"SECRET_KEY": key}) == key
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env.secret_key_from_env(tmp_path, environ={"SECRET_KEY": "short"})


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_booleans(raw, value):
    assert env.env_bool("DEBUG", default=True, environ={"DEBUG": raw}) is value


def test_debug_is_off_unless_asked():
    assert env.env_bool("DEBUG", default=False, environ={}) is False


def test_a_bad_boolean_names_the_variable():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe'"):
        env.env_bool("DEBUG", default=False, environ={"DEBUG": "maybe"})


def test_a_share_is_a_fraction_above_zero_and_at_most_one():
    assert env.env_share("SUGGESTIONS_TOP_SHARE", 0.25, environ={}) == 0.25
    assert env.env_share("SUGGESTIONS_TOP_SHARE", 0.25, environ={"SUGGESTIONS_TOP_SHARE": "1"}) == 1
    for raw, reason in (("0", "above 0"), ("1.5", "at most 1"), ("a third", "not a number")):
        with pytest.raises(ImproperlyConfigured, match=f"SUGGESTIONS_TOP_SHARE='{raw}'.*{reason}"):
            env.env_share("SUGGESTIONS_TOP_SHARE", 0.25, environ={"SUGGESTIONS_TOP_SHARE": raw})


def manage(*args, **environ):
    full_env = {**os.environ, **environ}
    full_env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_app_refuses_to_start_with_a_bad_variable():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_deploy_checks_pass_under_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECURE_HTTPS="true",
        SECRET_KEY="p" * 20 + "roduction-secret-" + "x9" * 20,
        ALLOWED_HOSTS="factcheck.example.org",
    )
    assert result.returncode == 0, result.stderr
