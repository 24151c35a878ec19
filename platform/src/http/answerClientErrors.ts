import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problemType } from './problemDetails.ts';

/**
 * Requests Node's HTTP parser refuses before Express sees them (headers or URL over 16 KB,
 * malformed request lines) would otherwise get a bare status line. Answer them as problem+json
 * too, like every other error.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      type: problemType('input'),
      title: tooLarge ? '请求头或地址过长' : '请求格式无效',
      status,
      detail: tooLarge ? '请求头和 URL 合计不能超过 16 KB，请缩短查询条件' : '无法解析的 HTTP 请求',
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
