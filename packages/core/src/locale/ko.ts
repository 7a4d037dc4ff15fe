import type { Messages } from './en';

/** Korean, in the polite 해요체 of Korean product UIs. */
export const ko: Messages = {
  'error.config_invalid': '로그인 설정에 문제가 있어요. 사이트 관리자에게 알려 주세요.',
  'error.unknown_provider': '지원하지 않는 로그인 방법이에요.',
  'error.session_not_found': '이미 끝난 세션이거나 내 세션이 아니에요.',
  'error.invalid_request': '로그인 요청이 올바르지 않아요. 다시 시도해 주세요.',
  'error.state_mismatch': '이 사이트에서 시작한 로그인이 아니에요. 다시 시도해 주세요.',
  'error.login_expired': '로그인 시간이 지났거나 이미 처리된 요청이에요. 다시 시도해 주세요.',
  'error.access_denied': '로그인 서비스 화면에서 취소를 눌렀어요. 로그인하려면 다시 시도해 주세요.',
  'error.provider_error': '로그인 서비스에서 요청을 거절했어요.',
  'error.token_exchange_failed':
    '로그인 서비스에서 로그인을 처리하지 못했어요. 다시 시도해 주세요.',
  'error.profile_fetch_failed':
    '로그인 서비스에서 프로필 정보를 받지 못했어요. 다시 시도해 주세요.',
  'error.id_token_invalid': '로그인 서비스에서 받은 인증 정보가 올바르지 않아요.',
  'error.refresh_failed': '연결된 서비스의 이용 권한을 갱신하지 못했어요. 다시 시도해 주세요.',
  'error.reauth_required': '이 서비스와의 연결이 만료됐어요. 이 서비스로 다시 로그인해 주세요.',
  'error.revoke_failed':
    '로그인 서비스에서 연결 해제를 확인해 주지 않았어요. 잠시 후 다시 시도해 주세요.',
  'error.identity_in_use': '이 계정은 이미 다른 사용자에게 연결되어 있어요.',
  'error.last_identity':
    '지금 로그인할 수 있는 유일한 방법이라 연결을 해제할 수 없어요. 다른 계정을 먼저 연결해 주세요.',
  'error.signup_closed': '지금은 새로 가입할 수 없어요.',
  'error.link_pending':
    '이 이메일 주소로 가입된 계정이 있어요. 전에 쓰던 방법으로 로그인하면 이 계정을 연결할 수 있어요.',
  'error.session_unavailable': '지금은 로그인할 수 없어요. 잠시 후 다시 시도해 주세요.',
  'error.csrf_failed': '요청을 확인하지 못했어요. 페이지를 새로고침한 뒤 다시 시도해 주세요.',
  'error.rate_limited': '로그인 시도가 너무 많아요. 잠시 후 다시 시도해 주세요.',
  'error.unauthenticated': '로그인이 필요해요.',
  'error.token_audience_mismatch': '다른 앱에서 발급된 로그인 토큰이에요.',
  'error.webhook_invalid': '로그인 서비스에서 보낸 알림인지 확인하지 못했어요.',
  'error.unknown': '로그인을 완료하지 못했어요.',
  'title.default': '로그인하지 못했어요',
  'title.access_denied': '로그인을 취소했어요',
  'title.identity_in_use': '이미 연결된 계정이에요',
  'title.last_identity': '연결을 해제할 수 없어요',
  'title.revoke_failed': '연결 해제를 확인하지 못했어요',
  'title.login_expired': '로그인 시간이 지났어요',
  'title.rate_limited': '잠시 후 다시 시도해 주세요',
  'title.session_unavailable': '지금은 로그인할 수 없어요',
  'title.signup_closed': '지금은 가입할 수 없어요',
  'title.link_pending': '이미 가입된 계정이 있어요',
  'reason.cookie_missing':
    '브라우저가 로그인 쿠키를 보내지 않았어요. 쿠키가 차단되어 있거나, 이 사이트의 다른 주소에서 로그인을 시작했을 수 있어요.',
  'reason.session_lost': '다시 돌아오기 전에 서버의 로그인 세션이 끝났어요.',
  'reason.state_used': '이미 처리됐거나 이전 시도에서 온 로그인 응답이에요.',
  'reason.token_used': '이미 사용한 로그인 토큰이에요. 앱에서 다시 로그인해 주세요.',
  'reason.flow_expired': '로그인하는 데 10분 넘게 걸렸어요.',
  'reason.not_https':
    "이 사이트는 https 주소로 설정되어 있는데 로그인 요청이 http로 들어와서, 브라우저가 로그인 쿠키를 저장하지 못했어요. 사이트를 TLS를 처리하는 프록시 뒤에서 운영하고 있다면 app.set('trust proxy', 1)을 호출해 주세요.",
  'page.code': '오류 코드',
  'formPost.title': '로그인을 마무리하는 중',
  'formPost.continue': '계속',
  'page.backSignedIn': '앱으로 돌아가기',
  'page.backSignedOut': '홈으로 돌아가기',
  'link.title': '{provider} 계정 연결',
  'link.signedOut':
    '이 이메일 주소로 가입된 계정이 이미 있어요. {provider} 계정을 연결하려면 전에 쓰던 방법으로 로그인해 주세요.',
  'link.signInWith': '{provider} 계정으로 로그인',
  'link.confirm': '이 {provider} 계정을 내 계정에 연결할까요? 본인 계정일 때만 계속해 주세요.',
  'link.account': '계정',
  'link.email': '이메일',
  'link.noEmail': '(없음)',
  'link.id': 'ID',
  'link.connect': '연결하기',
  'link.cancel': '취소',
};
