"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useRef, useState } from "react";
import { disableMember, enableMember, removeMemberTwoFactor, resendInvitation, revokeInvitation, sendMemberPasswordReset } from "@/app/(console)/users/actions";
import type { RoleOption } from "@/components/roles/role-checkboxes";
import { MemberRolesDialog, type RolesMember } from "@/components/roles/roles-dialog";
import type { UnitGrantChoices } from "@/components/roles/unit-grants";
import { grantLabel } from "@/lib/auth/permissions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import { memberActions, rolesAction, type MemberAction, type MemberActionKind } from "./member-cells";
import type { TeamAbilities, TeamRow } from "./team-table";

/** What a row's actions need to know of its member. */
export type ActionTarget = { id: string; name: string; email: string };
type Message = { text: string; tone: "ok" | "error" };
type TeamTableContext = {
  abilities: TeamAbilities;
  busyRow: string | null;
  act: (member: ActionTarget, kind: Exclude<MemberActionKind, "roles">) => Promise<void>;
  changeRoles: (member: RolesMember, opener: HTMLElement | null) => void;
  setMessage: (message: Message | null) => void;
  message: Message | null;
};

const Context = createContext<TeamTableContext | null>(null);

function useTeamTable() {
  const context = useContext(Context);
  if (!context) throw new Error("Team table actions need a TeamTableActions around them");
  return context;
}

/** For the Add User dialog: says what happened in the table's message line. */
export function useTeamTableMessage() {
  const { setMessage } = useTeamTable();
  return (text: string) => setMessage({ text, tone: "ok" });
}

type Props = {
  /** What the viewer may do, as the page asked `can` (the server checks again). */
  abilities: TeamAbilities;
  /** Roles one may give or take in the roles dialog (locked: shown, not changeable). */
  roleOptions: RoleOption[];
  /** A4: roles and units for roles on units. */
  unitChoices: UnitGrantChoices;
  children: React.ReactNode;
};

/**
 * The table's client state: which row is busy, the last outcome, running a row's action,
 * and one roles dialog for all rows (opened from a row's button or its actions menu).
 */
export function TeamTableActions({ abilities, roleOptions, unitChoices, children }: Props) {
  const [message, setMessage] = useState<Message | null>(null);
  const [busyRow, setBusyRow] = useState<string | null>(null);
  // Kept after closing, so the dialog stays mounted and can hand focus back.
  const [roles, setRoles] = useState<{ member: RolesMember; opener: HTMLElement | null; open: boolean } | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();

  const act = async (member: ActionTarget, kind: Exclude<MemberActionKind, "roles">) => {
    setBusyRow(member.id);
    setMessage(null);
    const input = { userId: member.id };
    const who = member.name || member.email;
    const result =
      kind === "disable"
        ? await runSensitive(disableMember, input)
        : kind === "enable"
          ? await runSensitive(enableMember, input)
          : kind === "remove2fa"
            ? await runSensitive(removeMemberTwoFactor, input)
            : kind === "reset"
              ? await sendMemberPasswordReset(input)
              : kind === "resend"
                ? await runSensitive(resendInvitation, input)
                : await runSensitive(revokeInvitation, input);
    setBusyRow(null);
    if (result.ok) {
      const done = {
        disable: `${who} was disabled. Their content stays available to the team.`,
        enable: `${who} was enabled.`,
        resend: `Invitation re-sent to ${member.email}.`,
        revoke: `Invitation for ${member.email} was revoked.`,
        remove2fa: `Two-factor authentication was removed for ${who}. They were emailed.`,
        reset: `A password-reset link was emailed to ${member.email}.`,
      };
      setMessage({ text: done[kind], tone: "ok" });
      router.refresh();
    } else if ("cancelled" in result) {
      setMessage({ text: "Cancelled: nothing was changed.", tone: "ok" });
    } else {
      setMessage({ text: result.error ?? "Something went wrong.", tone: "error" });
    }
  };

  const changeRoles = (member: RolesMember, opener: HTMLElement | null) => {
    setMessage(null);
    setRoles({ member, opener, open: true });
  };

  return (
    <Context.Provider value={{ abilities, busyRow, act, changeRoles, message, setMessage }}>
      {children}
      {roles ? (
        <MemberRolesDialog
          member={roles.member}
          roleOptions={roleOptions}
          unitChoices={unitChoices}
          open={roles.open}
          onOpenChange={(open) => setRoles({ ...roles, open })}
          opener={roles.opener}
          onResult={(text) => setMessage({ text, tone: "ok" })}
        />
      ) : null}
    </Context.Provider>
  );
}

export function TeamTableMessages() {
  const { message } = useTeamTable();
  return (
    <div role="status" aria-live="polite" aria-label="Team table messages" className="min-h-6 text-sm">
      {message ? <p className={message.tone === "ok" ? "text-emerald-700" : "text-red-700"}>{message.text}</p> : null}
    </div>
  );
}

/**
 * A member's actions, as the viewer's abilities allow: a button each on a wide screen; on a
 * narrow one (a card per member) one "Actions" menu button. CSS shows one of the two, and
 * the hidden one is out of the accessibility tree too.
 */
export function MemberActions({ row }: { row: TeamRow }) {
  const { abilities, busyRow, act, changeRoles } = useTeamTable();
  const actions = memberActions(row, abilities);
  const roles = rolesAction(row, abilities);
  if (actions.length === 0 && !roles) return null;
  const busy = busyRow === row.id;
  const member = { id: row.id, name: row.name, email: row.email };
  const choose = (kind: MemberActionKind, opener: HTMLElement | null) =>
    kind === "roles"
      ? changeRoles(
          {
            ...member,
            roleKeys: row.roles.filter((role) => !role.unit).map((role) => role.key),
            unitGrants: row.roles.flatMap((role) => (role.unit ? [{ role: role.key, unitId: role.unit.id, label: grantLabel(role) }] : [])),
          },
          opener,
        )
      : act(member, kind);
  return (
    <>
      {/* Roles first on a wide screen, as a column of its own would be; last in the menu, after
          what happens at once, so the menu still opens on the member's first account action. */}
      <div className="hidden justify-end gap-2 whitespace-nowrap xl:flex">
        {(roles ? [roles, ...actions] : actions).map((action) => (
          <Button
            key={action.kind}
            variant={action.danger ? "danger" : "secondary"}
            aria-label={action.name}
            busy={busy && action.kind !== "roles"}
            onClick={(event) => choose(action.kind, event.currentTarget)}
          >
            {action.label}
          </Button>
        ))}
      </div>
      <div className="xl:hidden">
        <ActionsMenuButton label={`Actions for ${row.name || row.email}`} actions={roles ? [...actions, roles] : actions} busy={busy} onChoose={choose} />
      </div>
    </>
  );
}

type MenuModule = typeof import("./actions-menu");
let menuModule: Promise<MenuModule> | null = null;
// The menu (Radix, with its focus and dismiss layers) is not part of the page's first load:
// it loads when a person first points at, focuses or presses an Actions button.
const loadMenu = () => (menuModule ??= import("./actions-menu"));

type Opened = "keyboard" | "pointer";
type Loaded = { ActionsMenu: MenuModule["ActionsMenu"]; hadFocus: boolean };

/**
 * Until the menu's code is here, a button that looks and is announced like the menu's
 * trigger. Once loaded the real menu takes its place, keeping focus, and opens if the
 * person already asked for it (from the keyboard: on its first item, as a menu button does).
 */
function ActionsMenuButton({ label, actions, busy, onChoose }: { label: string; actions: MemberAction[]; busy: boolean; onChoose: (kind: MemberActionKind, trigger: HTMLElement | null) => void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);
  const button = useRef<HTMLButtonElement>(null);

  if (loaded) return <loaded.ActionsMenu label={label} actions={actions} busy={busy} onChoose={onChoose} openedBy={opened} focusTrigger={loaded.hadFocus} />;

  const prepare = () => {
    void loadMenu().then(({ ActionsMenu }) => setLoaded({ ActionsMenu, hadFocus: document.activeElement === button.current }));
  };
  const open = (by: Opened) => {
    if (busy) return;
    setOpened(by);
    prepare();
  };
  return (
    <Button
      ref={button}
      type="button"
      variant="secondary"
      busy={busy}
      aria-label={label}
      aria-haspopup="menu"
      aria-expanded={false}
      className="shrink-0 gap-1"
      onPointerEnter={prepare}
      onFocus={prepare}
      // A click from the keyboard (Enter, Space) has no pointer position: detail 0.
      onClick={(event) => open(event.detail === 0 ? "keyboard" : "pointer")}
      onKeyDown={(event) => {
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
          event.preventDefault();
          open("keyboard");
        }
      }}
    >
      Actions
      <span aria-hidden="true">▾</span>
    </Button>
  );
}
