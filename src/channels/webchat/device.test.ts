import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeDevice, parseUserAgent, type DeviceType } from './device.ts';

// [what, user agent, type, "OS version · browser version" as describeDevice prints it]
const cases: Array<[string, string, DeviceType, string]> = [
  ['WeChat on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI Language/zh_CN', 'mobile', 'iOS 17.1 · WeChat 8'],
  ['WeChat on Android', 'Mozilla/5.0 (Linux; Android 13; V2183A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/5317 MMWEBSDK/20231002 MMWEBID/2585 MicroMessenger/8.0.43.2480(0x28002B51) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64', 'mobile', 'Android 13 · WeChat 8'],
  ['WeCom (also says MicroMessenger)', 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.138 Safari/537.36 MicroMessenger/7.0.1 wxwork/4.1.16 (MicroMessenger/6.2) WindowsWechat', 'desktop', 'Windows 10 · WeCom 4'],
  ['QQ in-app on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 QQ/8.9.88.627 V1_IPH_SQ_8.9.88_1_APP_A Pixel/1170 MiniAppEnable SimpleUISwitch/0 QQTheme/1000 StudyMode/0 CurrentMode/0 CurrentFontScale/1.000000 QQ/MiniApp', 'mobile', 'iOS 16.6 · QQ 8'],
  ['QQ Browser', 'Mozilla/5.0 (Linux; U; Android 12; zh-cn; PDEM30 Build/SKQ1.220617.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/13.6 Mobile Safari/537.36 COVC/046701', 'mobile', 'Android 12 · QQ Browser 13'],
  ['UC Browser', 'Mozilla/5.0 (Linux; U; Android 10; zh-CN; V1965A Build/QP1A.190711.020) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36', 'mobile', 'Android 10 · UC Browser 13'],
  ['Baidu app', 'Mozilla/5.0 (Linux; Android 10; ELS-AN00 Build/HUAWEIELS-AN00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/97.0.4692.98 Mobile Safari/537.36 T7/13.32 SP-engine/2.70.0 baiduboxapp/13.32.0.10 (Baidu; P1 10) NABar/1.0', 'mobile', 'Android 10 · Baidu 13'],
  ['Quark', 'Mozilla/5.0 (Linux; U; Android 13; zh-CN; 22081212C Build/TKQ1.220829.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 Quark/6.6.1.327 Mobile Safari/537.36', 'mobile', 'Android 13 · Quark 6'],
  ['Mi Browser', 'Mozilla/5.0 (Linux; U; Android 13; zh-cn; 2211133C Build/TKQ1.220905.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.118 Mobile Safari/537.36 XiaoMi/MiuiBrowser/17.8.80818 swan-mibrowser', 'mobile', 'Android 13 · Mi Browser 17'],
  ['HarmonyOS NEXT phone', 'Mozilla/5.0 (Phone; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/5.0.3.311', 'mobile', 'HarmonyOS 4.1 · Huawei Browser 5'],
  ['HarmonyOS NEXT tablet', 'Mozilla/5.0 (Tablet; OpenHarmony 4.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 HuaweiBrowser/5.0.3.311', 'tablet', 'HarmonyOS 4.1 · Huawei Browser 5'],
  ['HarmonyOS on the Android base', 'Mozilla/5.0 (Linux; Android 10; HarmonyOS; NOH-AN00; HMSCore 6.13.0.302) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 HuaweiBrowser/14.0.5.302 Mobile Safari/537.36', 'mobile', 'HarmonyOS · Huawei Browser 14'],
  ['Samsung Internet', 'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36', 'mobile', 'Android 14 · Samsung Internet 23'],
  ['DingTalk', 'Mozilla/5.0 (Linux; U; Android 12; zh-CN; M2012K11AC Build/SKQ1.211006.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.46 Mobile Safari/537.36 AliApp(DingTalk/7.0.50) com.alibaba.android.rimet/32142473 Channel/700159 language/zh-CN', 'mobile', 'Android 12 · DingTalk 7'],
  ['Alipay', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Ariver/1.0.15 AliApp(AP/10.5.36.8000) Nebula WK RVKType(0) AlipayDefined(nt:WIFI,ws:390|780|3.0) AlipayClient/10.5.36.8000 Language/zh-Hans Region/CN', 'mobile', 'iOS 17.0 · Alipay 10'],
  ['Chrome on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1', 'mobile', 'iOS 17.2 · Chrome 120'],
  ['Safari on iPad', 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1', 'tablet', 'iOS 16.6 · Safari 16'],
  ['Android tablet (no "Mobile")', 'Mozilla/5.0 (Linux; Android 12; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'tablet', 'Android 12 · Chrome 120'],
  ['a phone model containing "bot" is not a bot', 'Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36', 'mobile', 'Android 9 · Chrome 120'],
  ['Chrome on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'desktop', 'Windows 10 · Chrome 120'],
  ['Edge (also says Chrome)', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91', 'desktop', 'Windows 10 · Edge 120'],
  ['Opera', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0', 'desktop', 'Windows 10 · Opera 105'],
  ['360 Browser', 'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/78.0.3904.108 Safari/537.36 QIHU 360SE', 'desktop', 'Windows 7 · 360 Browser'],
  ['Sogou Browser', 'Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/86.0.4240.198 Safari/537.36 SE 2.X MetaSr 1.0', 'desktop', 'Windows 10 · Sogou Browser'],
  ['Safari on a Mac', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15', 'desktop', 'macOS 10.15 · Safari 17'],
  ['Firefox on Ubuntu', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0', 'desktop', 'Linux · Firefox 121'],
  ['Internet Explorer 11', 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko', 'desktop', 'Windows 7 · Internet Explorer 11'],
  ['ChromeOS', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', 'desktop', 'ChromeOS · Chrome 120'],
  ['headless Chromium (our e2e) is a browser', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36', 'desktop', 'Linux · Chrome 131'],
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'bot', ''],
  ['Googlebot smartphone', 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.71 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'bot', ''],
  ['Baiduspider', 'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)', 'bot', ''],
  ['Bytespider', 'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)', 'bot', ''],
  ['Sogou spider', 'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)', 'bot', ''],
  ['curl', 'curl/8.4.0', 'bot', ''],
  ['empty', '', 'desktop', ''],
  ['garbage', '%%%<script>', 'desktop', ''],
];

describe('parseUserAgent', () => {
  for (const [name, ua, type, line] of cases) {
    it(name, () => {
      const d = parseUserAgent(ua);
      assert.equal(d.type, type);
      assert.equal(describeDevice(d), line);
    });
  }
  it('null and undefined', () => {
    assert.deepEqual(parseUserAgent(null), { type: 'desktop', os: null, browser: null });
    assert.deepEqual(parseUserAgent(undefined), { type: 'desktop', os: null, browser: null });
  });
  it('reads only the first 512 characters of a header (bounded work on a huge hostile one)', () => {
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148';
    assert.equal(parseUserAgent(`${' '.repeat(400)}${iphone}`).type, 'mobile');
    assert.deepEqual(parseUserAgent(`${'x '.repeat(20_000)}${iphone}`), parseUserAgent(null), 'what lies past 512 characters is never read');
    assert.equal(parseUserAgent('Android '.repeat(50_000)).os?.name, 'Android');
  });
});
