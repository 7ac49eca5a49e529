"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useRef, useState } from "react";
import { disableMember, enableMember, removeMemberTwoFactor, resendInvitation, revokeInvitation, sendMemberPasswordReset } from "@/app/(console)/users/actions";
import { useStepUp } from "@/components/step-up/step-up-provider";
import { Button } from "@/components/ui/button";
import type { MemberAction, MemberActionKind } from "./member-cells";

/** What a row's actions need to know of its member (the rest of the row is server-rendered HTML). */
export type ActionTarget = { id: string; name: string; email: string };
type Message = { text: string; tone: "ok" | "error" };
type TeamTableContext = {
  busyRow: string | null;
  act: (member: ActionTarget, kind: MemberActionKind) => Promise<void>;
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

/** The table's client state: which row is busy, the last outcome, and running a row's action. */
export function TeamTableActions({ children }: { children: React.ReactNode }) {
  const [message, setMessage] = useState<Message | null>(null);
  const [busyRow, setBusyRow] = useState<string | null>(null);
  const runSensitive = useStepUp();
  const router = useRouter();

  const act = async (member: ActionTarget, kind: MemberActionKind) => {
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

  return <Context.Provider value={{ busyRow, act, message, setMessage }}>{children}</Context.Provider>;
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
 * A member's actions: a button each on a wide screen; on a narrow one (a card per member)
 * one "Actions" menu button. CSS shows one of the two, and the hidden one is out of the
 * accessibility tree too.
 */
export function MemberActions({ member, actions }: { member: ActionTarget; actions: MemberAction[] }) {
  const { busyRow, act } = useTeamTable();
  const busy = busyRow === member.id;
  return (
    <>
      <div className="hidden justify-end gap-2 whitespace-nowrap xl:flex">
        {actions.map((action) => (
          <Button key={action.kind} variant={action.danger ? "danger" : "secondary"} aria-label={action.name} busy={busy} onClick={() => act(member, action.kind)}>
            {action.label}
          </Button>
        ))}
      </div>
      <div className="xl:hidden">
        <ActionsMenuButton label={`Actions for ${member.name || member.email}`} actions={actions} busy={busy} onChoose={(kind) => act(member, kind)} />
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
function ActionsMenuButton({ label, actions, busy, onChoose }: { label: string; actions: MemberAction[]; busy: boolean; onChoose: (kind: MemberActionKind) => void }) {
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
