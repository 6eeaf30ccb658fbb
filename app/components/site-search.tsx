import { Form, useFetcher, useHref, useNavigate } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { RouterProvider } from "react-aria-components";
import {
  ComboBox,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
} from "react-aria-components/ComboBox";

import { Highlighted } from "~/components/initiative-card";
import { searchKindLabels, type SearchKind } from "~/utils/search-kinds";

/** A suggestion as `/recherche/suggestions` sends it (already confirmed against the viewer). */
export type Suggestion = {
  type: SearchKind;
  id: string;
  title: string;
  context: string;
  url: string;
};

type Option = { key: string; title: string; context: string; url: string; kind?: SearchKind };

const SUGGEST_AFTER = 2;
const PAUSE_MS = 150;

const LABEL = "Rechercher sur tout le site";
const INPUT_PROPS = {
  className: "site-search__input",
  type: "search",
  maxLength: 200,
  placeholder: "Initiatives, forums, événements, membres…",
} as const;

/**
 * The header's search box: a plain GET form to /recherche (it works without JavaScript), which
 * with JavaScript becomes a combobox suggesting results while typing. Enter with no suggestion
 * chosen opens /recherche; choosing a suggestion opens it.
 *
 * The server renders the plain field only: react-aria's combobox cost about a tenth of every
 * page's CPU to render there (bench:pages). The combobox replaces it once the page is hydrated,
 * keeping whatever was typed meanwhile and the focus.
 */
export function SiteSearch() {
  const plain = useRef<HTMLInputElement>(null);
  const [upgrade, setUpgrade] = useState<{ text: string; focused: boolean } | null>(null);
  useEffect(() => {
    const field = plain.current;
    setUpgrade({
      text: field?.value ?? "",
      focused: field !== null && document.activeElement === field,
    });
  }, []);
  const input = useRef<HTMLInputElement>(null);

  return (
    <Form
      method="get"
      action="/recherche"
      role="search"
      className="site-search"
      // Leaving the box closes the suggestions: they would otherwise stay open (and the rest of
      // the page hidden from screen readers) over the results page.
      onSubmit={() => input.current?.blur()}
      onKeyDownCapture={(event) => {
        // Enter with no suggestion highlighted submits the form, as in a plain search field;
        // the combobox would otherwise keep it to commit its (empty) choice.
        const input = event.target as HTMLElement;
        if (event.key === "Enter" && !input.getAttribute("aria-activedescendant")) {
          event.stopPropagation();
        }
      }}
    >
      {upgrade ? (
        <SuggestingField input={input} initialText={upgrade.text} focused={upgrade.focused} />
      ) : (
        <div className="site-search__box">
          <label className="visually-hidden" htmlFor="recherche-site">
            {LABEL}
          </label>
          <input ref={plain} id="recherche-site" name="q" {...INPUT_PROPS} />
        </div>
      )}
      <button type="submit" className="site-search__submit">
        Rechercher
      </button>
    </Form>
  );
}

function SuggestingField({
  input,
  initialText,
  focused,
}: {
  input: React.RefObject<HTMLInputElement>;
  initialText: string;
  focused: boolean;
}) {
  const fetcher = useFetcher<{ items: Suggestion[] }>();
  const navigate = useNavigate();
  const [text, setText] = useState(initialText);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  useEffect(() => {
    if (focused) input.current?.focus();
  }, [focused, input]);

  const onInputChange = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    if (value.trim().length < SUGGEST_AFTER) return;
    timer.current = setTimeout(
      () => fetcher.load(`/recherche/suggestions?${new URLSearchParams({ q: value.trim() })}`),
      PAUSE_MS,
    );
  };
  const query = text.trim();
  const options: Option[] =
    query.length < SUGGEST_AFTER
      ? []
      : [
          ...(fetcher.data?.items ?? []).map((item) => ({
            key: `${item.type}:${item.id}`,
            title: item.title,
            context: item.context,
            url: item.url,
            kind: item.type,
          })),
          {
            key: "tout",
            title: `Rechercher « ${query} » partout`,
            context: "Tous les résultats, groupés par type",
            url: `/recherche?${new URLSearchParams({ q: query })}`,
          },
        ];

  return (
    <RouterProvider navigate={(path) => navigate(path)} useHref={useHref}>
      <ComboBox
        className="site-search__box"
        allowsCustomValue
        allowsEmptyCollection={false}
        menuTrigger="input"
        name="q"
        inputValue={text}
        onInputChange={onInputChange}
        items={options}
      >
        <Label className="visually-hidden">{LABEL}</Label>
        <Input ref={input} {...INPUT_PROPS} />
        <Popover className="site-search__popover" placement="bottom start" offset={4}>
          <ListBox<Option> className="site-search__list">
            {(option) => (
              <ListBoxItem
                id={option.key}
                href={option.url}
                textValue={option.title.replaceAll("\u0002", "").replaceAll("\u0003", "")}
                className="site-search__option"
              >
                <span className="site-search__kind">
                  {option.kind ? searchKindLabels[option.kind].heading : "Recherche"}
                </span>
                <span className="site-search__title">
                  <Highlighted text={option.title} />
                </span>
                {option.context ? (
                  <span className="site-search__context">{option.context}</span>
                ) : null}
              </ListBoxItem>
            )}
          </ListBox>
        </Popover>
      </ComboBox>
    </RouterProvider>
  );
}
