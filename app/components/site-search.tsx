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

/**
 * The header's search box: a plain GET form to /recherche (it works without JavaScript), which
 * with JavaScript becomes a combobox suggesting results while typing. Enter with no suggestion
 * chosen opens /recherche; choosing a suggestion opens it.
 */
export function SiteSearch() {
  const fetcher = useFetcher<{ items: Suggestion[] }>();
  const navigate = useNavigate();
  const [text, setText] = useState("");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => () => clearTimeout(timer.current), []);

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
          <Label className="visually-hidden">Rechercher sur tout le site</Label>
          <Input
            ref={input}
            className="site-search__input"
            type="search"
            maxLength={200}
            placeholder="Initiatives, forums, événements, membres…"
          />
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
        <button type="submit" className="site-search__submit">
          Rechercher
        </button>
      </Form>
    </RouterProvider>
  );
}
