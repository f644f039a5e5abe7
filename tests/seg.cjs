const w=require('@roamhq/wrtc');
const mode=process.argv[2];
const s=new w.nonstandard.RTCVideoSource(); const t=s.createTrack();
if (mode==='stop') t.stop();
const pc = new w.RTCPeerConnection(); 
if (mode !== 'nopc') pc.close();
console.log('done', mode);
