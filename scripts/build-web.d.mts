export declare const repoRoot: string;
export declare function webBuildIsFresh(root?: string): boolean;
export declare function buildWeb(options?: { root?: string; quiet?: boolean }): Promise<void>;
export declare function ensureWebBuild(options?: {
  root?: string;
  force?: boolean;
  quiet?: boolean;
  log?: (message: string) => void;
}): Promise<boolean>;
