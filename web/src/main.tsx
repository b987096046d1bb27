import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { CohortsPage } from "./pages/Cohorts.tsx";
import { DesignerPage } from "./pages/Designer.tsx";
import { EvidencePage } from "./pages/Evidence.tsx";
import { NetworkPage } from "./pages/Network.tsx";
import { QcPage } from "./pages/Qc.tsx";
import { ValidationPage } from "./pages/Validation.tsx";
import "./styles.css";

/** Hash routes (#/evidence, #/network?node=NFKB …) so the server only serves one index.html. */
const PAGES = [
  { id: "evidence", label: "Evidence", Component: EvidencePage },
  { id: "network", label: "Network", Component: NetworkPage },
  { id: "designer", label: "Designer", Component: DesignerPage },
  { id: "validation", label: "Validation", Component: ValidationPage },
  { id: "cohorts", label: "Cohorts", Component: CohortsPage },
  { id: "qc", label: "QC", Component: QcPage },
] as const;

function currentRoute(): { page: string; params: URLSearchParams } {
  const [path, query] = window.location.hash.replace(/^#\/?/, "").split("?");
  return { page: path || "evidence", params: new URLSearchParams(query ?? "") };
}

function App() {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => setRoute(currentRoute());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  const page = PAGES.find((p) => p.id === route.page) ?? PAGES[0];
  return (
    <>
      <header className="topbar">
        <a className="brand" href="#/evidence">
          ExoMI
        </a>
        <nav>
          {PAGES.map((p) => (
            <a
              key={p.id}
              href={`#/${p.id}`}
              className={p.id === page.id ? "active" : ""}
              data-testid={`nav-${p.id}`}
            >
              {p.label}
            </a>
          ))}
        </nav>
        <a className="docs" href="/api/docs" target="_blank" rel="noreferrer">
          API docs
        </a>
      </header>
      <main>
        <page.Component params={route.params} />
      </main>
    </>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
