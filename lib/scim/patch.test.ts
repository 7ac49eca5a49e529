import { describe, expect, it } from "vitest";
import { ScimProblem } from "./errors";
import { parseEqualityFilter } from "./filter";
import { applyGroupPatch, applyUserPatch, patchOperations, PATCH_OP_SCHEMA, type UserState } from "./patch";

const user: UserState = { userName: "kim@acme.test", externalId: null, displayName: "Kim Lee", givenName: "Kim", familyName: "Lee", formatted: "Kim Lee", email: "kim@acme.test", active: true };
const ops = (...operations: unknown[]) => patchOperations({ schemas: [PATCH_OP_SCHEMA], Operations: operations });
const problem = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimProblem) return { status: error.status, scimType: error.scimType };
    throw error;
  }
  throw new Error("no problem raised");
};

describe("SCIM PATCH as Okta and Entra send it (B3)", () => {
  it("reads capitalised operations, booleans as strings, and no-path value objects with dotted keys", () => {
    expect(applyUserPatch(user, ops({ op: "Replace", path: "active", value: "False" })).active).toBe(false);
    expect(applyUserPatch({ ...user, active: false }, ops({ op: "replace", value: { active: "True" } })).active).toBe(true);
    expect(applyUserPatch(user, ops({ op: "replace", value: { "name.givenName": "Kimberly", externalId: "00u1" } }))).toMatchObject({ givenName: "Kimberly", externalId: "00u1" });
    expect(applyUserPatch(user, ops({ op: "Add", path: "urn:ietf:params:scim:schemas:core:2.0:User:name.familyName", value: "Li" })).familyName).toBe("Li");
  });

  it("accepts and ignores attributes it does not keep, extension schemas included", () => {
    const after = applyUserPatch(user, ops({ op: "Add", path: "title", value: "Engineer" }, { op: "replace", path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", value: "R&D" }, { op: "replace", value: { locale: "en-US" } }));
    expect(after).toEqual(user);
  });

  it("refuses what cannot be done, with the RFC's scimType", () => {
    expect(problem(() => ops({ op: "Remove", path: "userName" }).map((op) => applyUserPatch(user, [op])))).toEqual({ status: 400, scimType: "mutability" });
    expect(problem(() => ops({ op: "remove" }))).toEqual({ status: 400, scimType: "noTarget" });
    expect(problem(() => ops({ op: "move", path: "active", value: true }))).toEqual({ status: 400, scimType: "invalidSyntax" });
    expect(problem(() => patchOperations({ Operations: [{ op: "replace", path: "active", value: false }] }))).toEqual({ status: 400, scimType: "invalidSyntax" });
    expect(problem(() => applyUserPatch(user, ops({ op: "replace", path: "active", value: "no" })))).toEqual({ status: 400, scimType: "invalidValue" });
    expect(problem(() => applyUserPatch(user, ops({ op: "replace", path: "name[", value: "x" })))).toEqual({ status: 400, scimType: "invalidPath" });
  });

  it("adds, removes (by filter path and by Entra's value list) and replaces group members", () => {
    const group = { displayName: "Manager", members: ["a", "b"] };
    expect(applyGroupPatch(group, ops({ op: "add", path: "members", value: [{ value: "c", display: "c@acme.test" }] })).members).toEqual(["a", "b", "c"]);
    expect(applyGroupPatch(group, ops({ op: "remove", path: 'members[value eq "a"]' })).members).toEqual(["b"]);
    expect(applyGroupPatch(group, ops({ op: "Remove", path: "members", value: [{ $ref: null, value: "b" }] })).members).toEqual(["a"]);
    expect(applyGroupPatch(group, ops({ op: "replace", path: "members", value: [{ value: "z" }] })).members).toEqual(["z"]);
    expect(applyGroupPatch(group, ops({ op: "replace", value: { id: "manager", displayName: "Managers" } }))).toEqual({ displayName: "Managers", members: ["a", "b"] });
    expect(problem(() => applyGroupPatch(group, ops({ op: "remove", path: 'members[display eq "a"]' })))).toEqual({ status: 400, scimType: "invalidPath" });
  });
});

describe("SCIM filters (B3)", () => {
  const USERS = { userName: "userName", externalId: "externalId" } as const;
  it("answers eq on known attributes, in any case, joined by and", () => {
    expect(parseEqualityFilter('userName eq "kim@acme.test"', USERS)).toEqual({ userName: "kim@acme.test" });
    expect(parseEqualityFilter('USERNAME Eq "Kim" and externalId eq "00u1"', USERS)).toEqual({ userName: "Kim", externalId: "00u1" });
    expect(parseEqualityFilter(null, USERS)).toEqual({});
  });
  it("refuses every other filter as invalidFilter", () => {
    for (const filter of ['userName co "kim"', 'userName eq "a" or userName eq "b"', 'not (userName eq "a")', 'title eq "x"', "userName pr", 'userName eq "a" and userName eq "b"', "userName eq 1", "((("]) {
      expect(problem(() => parseEqualityFilter(filter, USERS)), filter).toEqual({ status: 400, scimType: "invalidFilter" });
    }
  });
});
