// An IoHost for tests: records every message and every question, and answers from a script.
import type { IoHost, IoMessage } from "../../../src/toolkit/io-host.js";

export interface RecordingIoHost extends IoHost {
  messages: IoMessage[];
  questions: string[];
  codes(): string[];
}

/** `answers`: replies to the questions in order; a question beyond them fails the test. */
export function recordingIoHost(answers: boolean[] = []): RecordingIoHost {
  const left = [...answers];
  const host: RecordingIoHost = {
    messages: [],
    questions: [],
    codes: () => host.messages.map((m) => m.code),
    notify: (message) => void host.messages.push(message),
    confirm: (question) => {
      host.questions.push(question);
      const answer = left.shift();
      return answer === undefined
        ? Promise.reject(new Error(`unexpected question: ${question}`))
        : Promise.resolve(answer);
    },
  };
  return host;
}
