import './lib/zod-jitless';
import { mount } from 'svelte';
import App from './App.svelte';
import { createApi } from './lib/api/client';
import { AppState } from './lib/app.svelte';
import './app.css';

const app = new AppState(createApi(window));
mount(App, { target: document.getElementById('app')!, props: { app } });
