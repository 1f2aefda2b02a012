"""netlearn.analytics stays plain Python: no Django, so it runs and is benchmarked alone."""

import subprocess
import sys


def test_no_module_of_the_package_imports_django():
    code = (
        "import importlib, pkgutil, sys\n"
        "import netlearn.analytics as package\n"
        "for module in pkgutil.iter_modules(package.__path__):\n"
        "    importlib.import_module(f'netlearn.analytics.{module.name}')\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
