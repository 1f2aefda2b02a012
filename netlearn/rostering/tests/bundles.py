"""OneRoster 1.2 CSV bundles made by hand for the tests and the benchmark.

`Bundle` holds each file's rows as dicts; a test changes a row, then calls `.zip()`.
`school_bundle` makes a whole school's export: one org, its staff and pupils (roles in
roles.csv, as 1.2 writes them), a homeroom class per form and a term.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

HEADERS = {
    "orgs": ["sourcedId", "status", "dateLastModified", "name", "type", "identifier",
             "parentSourcedId"],
    "users": ["sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds",
              "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
              "agentSourcedIds", "grades", "password", "userMasterIdentifier",
              "resourceSourcedIds", "preferredGivenName", "preferredMiddleName",
              "preferredFamilyName", "primaryOrgSourcedId", "pronouns"],
    "roles": ["sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
              "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId"],
    "classes": ["sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
                "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds",
                "subjects", "subjectCodes", "periods"],
    "enrollments": ["sourcedId", "status", "dateLastModified", "classSourcedId",
                    "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
                    "endDate"],
    "academicSessions": ["sourcedId", "status", "dateLastModified", "title", "type",
                         "startDate", "endDate", "parentSourcedId", "schoolYear"],
    "demographics": ["sourcedId", "status", "dateLastModified", "birthDate", "sex"],
}  # fmt: skip


@dataclass
class Bundle:
    manifest: dict[str, str] = field(
        default_factory=lambda: {
            "manifest.version": "1.0",
            "oneroster.version": "1.2",
            "file.academicSessions": "bulk",
            "file.categories": "absent",
            "file.classes": "bulk",
            "file.classResources": "absent",
            "file.courses": "absent",
            "file.demographics": "bulk",
            "file.enrollments": "bulk",
            "file.orgs": "bulk",
            "file.roles": "bulk",
            "file.users": "bulk",
            "source.systemName": "Test MIS",
        }
    )
    rows: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: {name: [] for name in HEADERS}
    )
    extra_files: dict[str, bytes] = field(default_factory=dict)
    leave_out: set[str] = field(default_factory=set)

    def add(self, file: str, **values) -> dict[str, str]:
        row = {name: "" for name in HEADERS[file]}
        row.update(values)
        self.rows[file].append(row)
        return row

    def user(self, source_id: str) -> dict[str, str]:
        return next(row for row in self.rows["users"] if row["sourcedId"] == source_id)

    def csv_text(self, file: str) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        header = list(self.rows[file][0]) if self.rows[file] else HEADERS[file]
        writer.writerow(header)
        for row in self.rows[file]:
            writer.writerow([row.get(name, "") for name in header])
        return out.getvalue()

    def zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            manifest = "propertyName,value\r\n" + "".join(
                f"{name},{value}\r\n" for name, value in self.manifest.items()
            )
            archive.writestr("manifest.csv", manifest)
            for file in HEADERS:
                if file not in self.leave_out:
                    archive.writestr(f"{file}.csv", self.csv_text(file))
            for name, data in self.extra_files.items():
                archive.writestr(name, data)
        return buffer.getvalue()


GIVEN = [
    "Aroha",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Grace",
    "Hemi",
    "Isla",
    "Jack",
    "Kiri",
    "Leo",
    "Mia",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Ruby",
    "Sam",
    "Tama",
]
FAMILY = ["Brown", "Clarke", "Evans", "Ngata", "Patel", "Smith", "Taylor", "Walker", "Wilson"]


def school_bundle(
    *,
    identifier: str,
    name: str = "Test School",
    pupils: int = 30,
    staff: int = 4,
    year_groups: range = range(7, 12),
    forms_per_year: int = 2,
    email_domain: str = "school.example.org",
) -> Bundle:
    """A whole school's OneRoster 1.2 export: staff s1…, pupils p1…, homerooms per form."""
    bundle = Bundle()
    bundle.add("orgs", sourcedId="org-1", name=name, type="school", identifier=identifier)
    bundle.add("orgs", sourcedId="district-1", name="The Trust", type="district")
    bundle.add(
        "academicSessions",
        sourcedId="term-1",
        title="Autumn term",
        type="term",
        startDate="2026-09-01",
        endDate="2026-12-18",
        schoolYear="2027",
    )
    forms = [(year, letter) for year in year_groups for letter in "ABCDEFGH"[:forms_per_year]]
    for year, letter in forms:
        bundle.add(
            "classes",
            sourcedId=f"class-{year}{letter}",
            title=f"{year}{letter}",
            grades=f"{year:02d}",
            classType="homeroom",
            schoolSourcedId="org-1",
            termSourcedIds="term-1",
        )
    for number in range(1, staff + 1):
        source_id = f"s{number}"
        bundle.add(
            "users",
            sourcedId=source_id,
            enabledUser="true",
            username=f"staff{number}",
            givenName=GIVEN[number % len(GIVEN)],
            familyName=f"{FAMILY[number % len(FAMILY)]}{number}",
            email=f"staff{number}@{email_domain}",
            primaryOrgSourcedId="org-1",
        )
        bundle.add(
            "roles",
            sourcedId=f"r-{source_id}",
            userSourcedId=source_id,
            roleType="primary",
            role="teacher" if number % 5 else "aide",
            orgSourcedId="org-1",
        )
        if number <= len(forms):
            year, letter = forms[number - 1]
            bundle.add(
                "enrollments",
                sourcedId=f"e-{source_id}",
                classSourcedId=f"class-{year}{letter}",
                schoolSourcedId="org-1",
                userSourcedId=source_id,
                role="teacher",
                primary="true",
            )
    for number in range(1, pupils + 1):
        source_id = f"p{number}"
        year, letter = forms[number % len(forms)]
        bundle.add(
            "users",
            sourcedId=source_id,
            enabledUser="true",
            username=f"pupil{number}",
            givenName=GIVEN[number % len(GIVEN)],
            familyName=FAMILY[number % len(FAMILY)],
            grades=f"{year:02d}",
            primaryOrgSourcedId="org-1",
        )
        bundle.add(
            "roles",
            sourcedId=f"r-{source_id}",
            userSourcedId=source_id,
            roleType="primary",
            role="student",
            orgSourcedId="org-1",
        )
        bundle.add(
            "enrollments",
            sourcedId=f"e-{source_id}",
            classSourcedId=f"class-{year}{letter}",
            schoolSourcedId="org-1",
            userSourcedId=source_id,
            role="student",
        )
        bundle.add("demographics", sourcedId=source_id, birthDate="2014-01-01", sex="female")
    return bundle
