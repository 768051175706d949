// The Electron main process: one hardened window showing the renderer over homegrown://app, the API
// over the IPC bridge, images over homegrown://image, training in utility processes. Thin: everything
// the web mode also needs lives in main/core.
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron';
import { IPC_CHANNELS } from '#shared/api/names';
import { appPath } from '../core/files/app-root';
import { AppService } from '../core/service/index';
import { IpcBridge } from './ipc';
import { utilityProcessSpawner } from './job-spawner';
import { protocolHandler, SCHEME } from './protocol';
import { APP_INDEX, denyPermissions, hardenContents, isAllowedExternal, WEB_PREFERENCES } from './security';

const RENDERER = appPath('renderer/dist');
const PRELOAD = appPath('dist/app/preload.cjs');

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.enableSandbox();
app.on('web-contents-created', (_event, contents) => hardenContents(contents, (url) => isAllowedExternal(url) && shell.openExternal(url)));

async function start(): Promise<void> {
  let win: BrowserWindow | null = null;
  const service = await AppService.open({
    mode: 'electron',
    spawn: utilityProcessSpawner,
    revealFile: (file) => {
      shell.showItemInFolder(file);
      return true;
    },
    pickFolder: async () => {
      const options = { title: 'Choose a folder of images', properties: ['openDirectory' as const] };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
  denyPermissions(session.defaultSession);
  protocol.handle(SCHEME, protocolHandler({ image: (kind, id) => service.image(kind, id), rendererRoot: RENDERER }));
  const bridge = new IpcBridge(service);
  bridge.register(ipcMain);

  win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 700,
    title: 'Homegrown',
    webPreferences: { ...WEB_PREFERENCES, preload: PRELOAD },
  });
  const contentsId = win.webContents.id;
  bridge.addWindow(contentsId);
  const unsubscribe = service.subscribe((event) => {
    if (win && !win.isDestroyed()) win.webContents.send(IPC_CHANNELS.event, event);
  });
  win.on('closed', () => {
    win = null;
    bridge.removeWindow(contentsId);
    unsubscribe();
  });
  app.on('window-all-closed', () => {
    // Training runs pause (each writes a checkpoint) before the app quits.
    service.close().finally(() => app.quit());
  });
  await win.loadURL(APP_INDEX);
}

app.whenReady().then(start, (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  app.exit(1);
});
