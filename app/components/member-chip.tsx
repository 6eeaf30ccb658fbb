import { profileKindLabels } from "~/utils/validation";

type Props = {
  name: string;
  jobTitle: string;
  profileKind: keyof typeof profileKindLabels;
  former?: boolean;
  collectivityName?: string;
};

/** Name, function and collectivity of a member; people who left are shown as "ancien·ne". */
export function MemberChip({ name, jobTitle, profileKind, former, collectivityName }: Props) {
  const role = former
    ? profileKind === "elu"
      ? "ancien·ne élu·e"
      : "ancien·ne membre"
    : jobTitle || profileKindLabels[profileKind];
  return (
    <span className="member-chip">
      <strong>{name}</strong>
      <small>
        {role}
        {collectivityName ? ` — ${collectivityName}` : null}
      </small>
    </span>
  );
}
